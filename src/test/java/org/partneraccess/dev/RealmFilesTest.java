package org.partneraccess.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The realm files production imports ({@code keycloak-realm/*.json}) hold no person and no known password: their only
 * users are the service accounts of their clients. The demo users live in {@code keycloak-realm/dev/}, which only the
 * managed development Keycloak imports.
 */
class RealmFilesTest {

    private static final Path REALMS = Path.of("keycloak-realm");
    private static final Path DEV_USERS = REALMS.resolve("dev/staff-users-0.json");
    private static final Set<String> DEMO_USERS = Set.of("rita.requester", "robert.requester", "sam.sponsor",
            "sarah.sponsor", "sofia.security", "ian.owner", "paul.process", "alice.auditor", "adam.admin");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theProductionRealmFilesHoldOnlyServiceAccounts() throws IOException {
        List<Path> files = productionFiles();
        assertThat(files).extracting(file -> file.getFileName().toString())
                .contains("staff-realm.json", "partner-realm.json")
                // a users file here would be imported with its realm by Keycloak's directory import
                .allMatch(name -> name.endsWith("-realm.json"));
        for (Path file : files) {
            JsonNode realm = JSON.readTree(file.toFile());
            for (JsonNode user : realm.path("users")) {
                String username = user.path("username").asText();
                assertThat(user.path("serviceAccountClientId").asText())
                        .as("%s in %s is a client's service account", username, file).isNotBlank();
                assertThat(username).as(file.toString()).startsWith("service-account-").isNotIn(DEMO_USERS);
                assertThat(user.path("credentials")).as("credentials of %s in %s", username, file).isEmpty();
            }
            assertThat(Files.readString(file)).as(file.toString())
                    .doesNotContain("\"credentials\"").doesNotContain("\"password\"");
        }
    }

    @Test
    void theDemoUsersAreInTheDevelopmentFileOfTheStaffRealm() throws IOException {
        JsonNode users = JSON.readTree(DEV_USERS.toFile());
        JsonNode staff = JSON.readTree(REALMS.resolve("staff-realm.json").toFile());
        List<String> groups = new ArrayList<>();
        staff.path("groups").forEach(group -> groups.add("/" + group.path("name").asText()));

        // Keycloak's directory import reads <realm>-users-<n>.json for the realm it names
        assertThat(users.path("realm").asText()).isEqualTo(staff.path("realm").asText()).isEqualTo("staff");
        List<String> names = new ArrayList<>();
        for (JsonNode user : users.path("users")) {
            names.add(user.path("username").asText());
            assertThat(user.has("serviceAccountClientId")).isFalse();
            user.path("groups").forEach(group -> assertThat(groups).as("groups of the staff realm").contains(group.asText()));
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(DEMO_USERS);
    }

    private static List<Path> productionFiles() throws IOException {
        try (Stream<Path> files = Files.list(REALMS)) {
            return files.filter(Files::isRegularFile).filter(file -> file.toString().endsWith(".json")).sorted().toList();
        }
    }
}
