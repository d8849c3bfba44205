package org.partneraccess.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.partneraccess.LifecycleState;
import org.partneraccess.ReceiptVerifier;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.PartnershipAction;
import org.partneraccess.dev.ManagedKeycloak;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.StaffBrowser;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The receipt of an incident, downloaded by an auditor and checked offline with the published keys; every other staff
 * role and the SIEM are refused it, and a changed byte fails the check and says where.
 */
@PartnerAccessTest
class ReceiptIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    IdentityService identity;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    AuditLog audit;
    @Autowired
    ItFixtures fixtures;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anAuditorDownloadsTheIncidentsReceiptAndVerifiesItOffline() throws Exception {
        PartnerAccessClient client = fixtures.client();
        String key = fixtures.partnership("rcpt").active();
        String path = "/api/partnerships/" + key + "/receipts/incident";
        assertThat(client.get("alice.auditor", path).statusCode()).as("no incident yet").isEqualTo(404);
        String contactId = identities.findByPartnershipKeyOrderById(key).get(0).getId();
        HttpResponse<String> notEnded = client.get("alice.auditor", "/api/partnerships/" + key + "/receipts/access-ended");
        assertThat(notEnded.statusCode()).as(notEnded.body()).isEqualTo(409);
        assertThat(notEnded.body()).contains(contactId);

        Instant before = Instant.now();
        HttpResponse<String> reported = client.post("sofia.security", "/api/partnerships/" + key + "/incidents",
                Map.of("reason", "partner credentials found in a paste", "severity", "HIGH", "reporterReference", "SOC-99"));
        assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(90)).until(() ->
                audit.latest(key, PartnershipAction.INCIDENT_VERIFIED).isPresent());

        HttpResponse<String> served = client.get("alice.auditor", path);
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(served.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        JsonNode receipt = JSON.readTree(served.body()).get("receipt");
        PartnerIdentity contact = identities.findByPartnershipKeyOrderById(key).get(0);
        assertThat(contact.getState()).isEqualTo(LifecycleState.REVOKED);
        assertThat(receipt.get("partnership").asText()).isEqualTo(key);
        assertThat(receipt.at("/reported/by").asText()).isEqualTo("sofia.security");
        assertThat(receipt.get("identities")).hasSize(1);
        assertThat(receipt.at("/identities/0/id").asText()).isEqualTo(contact.getId());
        assertThat(receipt.at("/verification/verified").asBoolean()).isTrue();
        assertThat(receipt.at("/verification/result").asText()).startsWith("verified: users=1 (enabled 0, with sessions 0)");
        Instant cutOff = Instant.parse(receipt.at("/identities/0/cutOffAt").asText());
        assertThat(cutOff).isAfter(before);
        // a person's token lives the partner realm's 60 s
        assertThat(Instant.parse(receipt.at("/residualExposure/jwtValidatedLocallyUntil").asText()))
                .isEqualTo(cutOff.plusSeconds(60));
        List<String> hashes = audit.ofPartnership(key).stream().map(entry -> entry.getHash()).toList();
        assertThat(receipt.get("auditEntries")).isNotEmpty()
                .allSatisfy(entry -> assertThat(hashes).contains(entry.get("hash").asText()));

        // the keys are public: fetched without a token, as an auditor's or partner's tool would
        HttpResponse<String> keys = http.send(HttpRequest.newBuilder(
                URI.create(fixtures.url("/api/receipts/keys"))).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(keys.statusCode()).isEqualTo(200);
        assertThat(keys.body()).doesNotContain("\"d\"");
        assertThat(ReceiptVerifier.verify(served.body(), keys.body()).valid()).isTrue();
        ObjectNode changed = (ObjectNode) JSON.readTree(served.body());
        ((ObjectNode) changed.get("receipt").get("reported")).put("by", "someone.else");
        assertThat(ReceiptVerifier.verify(changed.toString(), keys.body()).problem()).contains("reported.by");

        // that access ended, read from Keycloak when the receipt is issued, for the partnership and for the person
        for (String ended : List.of("/api/partnerships/" + key + "/receipts/access-ended",
                "/api/identities/" + contactId + "/receipt")) {
            HttpResponse<String> accessEnded = client.get("alice.auditor", ended);
            assertThat(accessEnded.statusCode()).as(accessEnded.body()).isEqualTo(200);
            JsonNode endedReceipt = JSON.readTree(accessEnded.body()).get("receipt");
            assertThat(endedReceipt.at("/identities/0/keycloak/enabled").asBoolean(true)).isFalse();
            assertThat(endedReceipt.at("/identities/0/keycloak/sessions").asInt(-1)).isZero();
            assertThat(endedReceipt.at("/verification/verified").asBoolean()).isTrue();
            assertThat(endedReceipt.at("/auditEntries/0/action").asText()).isEqualTo("IDENTITY_CUT_OFF");
            assertThat(ReceiptVerifier.verify(accessEnded.body(), keys.body()).valid()).isTrue();
            assertThat(client.get("ian.owner", ended).statusCode()).as("an identity owner").isEqualTo(403);
        }

        // the security officer may have it too; no one else may, the SIEM that may report included
        assertThat(client.get("sofia.security", path).statusCode()).isEqualTo(200);
        for (String user : List.of("rita.requester", "sam.sponsor", "ian.owner", "paul.process", "adam.admin")) {
            assertThat(client.get(user, path).statusCode()).as(user).isEqualTo(403);
        }
        String siem = Tokens.request(fixtures.keycloakUrl(), "staff", Map.of("grant_type", "client_credentials",
                "client_id", "partner-access-incident-reporter",
                "client_secret", ManagedKeycloak.current().secret(ManagedKeycloak.INCIDENT_REPORTER_SECRET_ENV)))
                .get("access_token").asText();
        HttpResponse<String> bySiem = http.send(HttpRequest.newBuilder(URI.create(fixtures.url(path)))
                .header("Authorization", "Bearer " + siem).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bySiem.statusCode()).isEqualTo(403);
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(fixtures.url(path)))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);

        // in the browser: the printable page and the same signed file, for the dashboard's auditors only
        String page = "/dashboard/partnerships/" + key + "/receipt";
        StaffBrowser alice = new StaffBrowser(fixtures.port());
        HttpResponse<String> printable = alice.signIn(page, "alice.auditor", Tokens.DEMO_PASSWORD);
        assertThat(printable.statusCode()).isEqualTo(200);
        assertThat(printable.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                v -> assertThat(v).startsWith("default-src 'none'"));
        assertThat(printable.body()).contains("Cut-off verified in Keycloak", contact.getId(),
                receipt.at("/auditEntries/0/hash").asText());
        HttpResponse<String> file = alice.open(page + ".json");
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(ReceiptVerifier.verify(file.body(), keys.body()).valid()).isTrue();
        StaffBrowser sam = new StaffBrowser(fixtures.port());
        sam.signIn("/dashboard/requests", "sam.sponsor", Tokens.DEMO_PASSWORD);
        assertThat(sam.open(page).statusCode()).as("a sponsor's dashboard session").isEqualTo(403);
        assertThat(sam.open(page + ".json").statusCode()).isEqualTo(403);
    }
}
