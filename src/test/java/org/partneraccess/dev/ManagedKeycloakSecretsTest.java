package org.partneraccess.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The managed Keycloak's admin password: generated once, kept beside the client secrets, reused on later starts. */
class ManagedKeycloakSecretsTest {

    @TempDir
    Path data;

    @Test
    void theAdminPasswordIsGeneratedAtTheFirstStartAndKeptForTheNext() throws IOException {
        Path file = data.resolve(ManagedKeycloak.SECRETS_FILE);

        Map<String, String> first = ManagedKeycloak.loadOrCreateSecrets(file, true);
        Map<String, String> second = ManagedKeycloak.loadOrCreateSecrets(file, true);

        String password = first.get(ManagedKeycloak.ADMIN_PASSWORD_ENV);
        assertThat(password).isNotEqualTo("admin").hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(second).isEqualTo(first);
        assertThat(stored(file)).containsEntry(ManagedKeycloak.ADMIN_PASSWORD_ENV, password)
                .containsKeys(ManagedKeycloak.STAFF_CLIENT_SECRET_ENV, ManagedKeycloak.PROVISIONER_SECRET_ENV);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aSecretsFileWrittenBeforeTheAdminPasswordGetsOneAndKeepsItsClientSecrets() throws IOException {
        Path file = data.resolve(ManagedKeycloak.SECRETS_FILE);
        Files.writeString(file, ManagedKeycloak.STAFF_CLIENT_SECRET_ENV + "=kept\n");

        Map<String, String> secrets = ManagedKeycloak.loadOrCreateSecrets(file, true);

        assertThat(secrets).containsEntry(ManagedKeycloak.STAFF_CLIENT_SECRET_ENV, "kept");
        assertThat(secrets.get(ManagedKeycloak.ADMIN_PASSWORD_ENV)).hasSize(43);
        assertThat(stored(file)).containsEntry(ManagedKeycloak.ADMIN_PASSWORD_ENV,
                secrets.get(ManagedKeycloak.ADMIN_PASSWORD_ENV));
    }

    @Test
    void anInMemoryServerGetsFreshSecretsEveryStartAndWritesNone() {
        Path file = data.resolve(ManagedKeycloak.SECRETS_FILE);

        String first = ManagedKeycloak.loadOrCreateSecrets(file, false).get(ManagedKeycloak.ADMIN_PASSWORD_ENV);
        String second = ManagedKeycloak.loadOrCreateSecrets(file, false).get(ManagedKeycloak.ADMIN_PASSWORD_ENV);

        assertThat(first).isNotEqualTo(second);
        assertThat(file).doesNotExist();
    }

    private static Map<Object, Object> stored(Path file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        }
        return properties;
    }
}
