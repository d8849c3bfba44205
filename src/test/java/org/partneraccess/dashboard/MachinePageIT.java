package org.partneraccess.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.partneraccess.LifecycleState;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.Mailbox;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.StaffBrowser;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A secret machine's owner collects its secret on the machine's dashboard page with the token from the mail, once; the
 * requester, another requester, a wrong or blank token and a post without the session's CSRF token get no secret, and
 * leave the hand-over open for the owner.
 */
@PartnerAccessTest
class MachinePageIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PAGE_LINK = Pattern.compile("(http://\\S+/dashboard/my-machines/\\S+)");
    private static final Pattern SECRET = Pattern.compile("id=\"client-secret\">([^<]+)<");

    @Autowired
    ItFixtures fixtures;
    @Autowired
    IdentityService identity;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    AuditLog audit;

    @AfterEach
    void clearAuthentication() {
        identity.clearAuthentication();
    }

    @Test
    void theOwnerCollectsTheSecretOnceOnTheMachinesPageAndNobodyElseDoes() throws Exception {
        String partnership = fixtures.activePartnership();
        HttpResponse<String> created = fixtures.client().post("rita.requester", "/api/partnerships/" + partnership + "/machines",
                MachineFixtures.registration("CLIENT_SECRET", null));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode machine = JSON.readTree(created.body());
        String id = machine.get("id").asText();
        String clientId = machine.get("clientId").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> identities.findById(id).orElseThrow().getState()
                == LifecycleState.ACTIVE);
        String token = MachineFixtures.handoverToken(clientId + " is active");
        String mail = Mailbox.text(Mailbox.newest("ian.owner@example.com", clientId + " is active"));
        Matcher link = PAGE_LINK.matcher(mail);
        assertThat(link.find()).as("the page's link in the mail:\n" + mail).isTrue();
        String page = java.net.URI.create(link.group(1)).getPath();
        assertThat(page).isEqualTo("/dashboard/my-machines/" + id);

        // the requester sees the page but is offered no collection, and her post of the owner's token is refused
        StaffBrowser rita = new StaffBrowser(fixtures.port());
        HttpResponse<String> hers = rita.signIn(page, "rita.requester", Tokens.DEMO_PASSWORD);
        assertThat(hers.statusCode()).as(hers.body()).isEqualTo(200);
        assertThat(hers.body()).contains(clientId, "/realms/partner/protocol/openid-connect/token", "client secret")
                .doesNotContain("secret-form");
        HttpResponse<String> stolen = rita.submit(page + "/secret", hers.body(), Map.of("token", token));
        assertThat(stolen.statusCode()).isEqualTo(403);
        assertThat(stolen.body()).doesNotContain("client-secret\">");

        // another requester: as if the machine did not exist
        StaffBrowser robert = new StaffBrowser(fixtures.port());
        robert.signIn("/dashboard/requests", "robert.requester", Tokens.DEMO_PASSWORD);
        assertThat(robert.open(page).statusCode()).isEqualTo(404);

        // the owner: a post without the session's CSRF token, a blank token and a wrong one get no secret
        StaffBrowser ian = new StaffBrowser(fixtures.port());
        HttpResponse<String> his = ian.signIn(page, "ian.owner", Tokens.DEMO_PASSWORD);
        assertThat(his.statusCode()).isEqualTo(200);
        assertThat(his.body()).contains("secret-form", "Token from the mail");
        assertThat(ian.post(page + "/secret", Map.of("token", token)).statusCode()).isEqualTo(403);
        HttpResponse<String> blank = ian.submit(page + "/secret", his.body(), Map.of("token", " "));
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(blank.body()).contains("data-field=\"token\"", "required: the token from your mail");
        HttpResponse<String> wrong = ian.submit(page + "/secret", his.body(), Map.of("token", "not-the-token"));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).contains("not a hand-over token of this machine").doesNotContain("client-secret\">");

        // with the mail's token: the secret, once, kept by no cache, and it works at the token endpoint
        HttpResponse<String> collected = ian.submit(page + "/secret", his.body(), Map.of("token", token));
        assertThat(collected.statusCode()).as(collected.body()).isEqualTo(200);
        assertThat(collected.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        Matcher secret = SECRET.matcher(collected.body());
        assertThat(secret.find()).as(collected.body()).isTrue();
        HttpResponse<String> tokenResponse = MachineFixtures.tokenWithSecret(fixtures.keycloakUrl(), clientId, secret.group(1).trim());
        assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
        HttpResponse<String> again = ian.submit(page + "/secret", his.body(), Map.of("token", token));
        assertThat(again.statusCode()).isEqualTo(410);
        assertThat(again.body()).doesNotContain("client-secret\">");

        assertThat(audit.ofIdentity(id)).filteredOn(e -> e.getAction().equals("MACHINE_SECRET_RETRIEVED"))
                .extracting(AuditEvent::getActor).containsExactly("ian.owner");
    }
}
