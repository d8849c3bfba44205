package org.partneraccess.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMailUtil;

import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.partneraccess.LifecycleState;
import org.partneraccess.audit.ActorKind;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerRealm;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.keycloak.KeycloakProperties;
import org.partneraccess.keycloak.TokenProbe;
import org.partneraccess.partnership.Partnership;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.Mailbox;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.PartnerLogin;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Last use from the partner realm's events, against the real Keycloak: a person's sign-in at the login page and a
 * machine's client-credentials token each set last_used_at of the identity that holds the account, and the first use
 * is audit evidence of the partner's own.
 */
@PartnerAccessTest
class UsageSyncIT {

    private static final String PASSWORD = "Usage-Secret-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INVITATION_LINK = Pattern.compile("(http://\\S+/login-actions/action-token\\S+)");


    @Autowired
    ItFixtures fixtures;
    @Autowired
    UsageSync usage;
    @Autowired
    PartnerUsers partnerUsers;
    @Autowired
    PartnerClients partnerClients;
    @Autowired
    PartnerRealm partnerRealm;
    @Autowired
    Keycloak keycloak;
    @Autowired
    KeycloakProperties properties;
    @Autowired
    PartnershipRepository partnerships;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    AuditLog audit;
    @Autowired
    TokenProbe probe;

    @Test
    void aPersonsSignInSetsLastUseOfTheIdentityThatHoldsTheAccount() {
        String key = partnership();
        String username = "uma." + key + "@partner.example.org";
        PartnerIdentity earlier = person(key, username);
        PartnerIdentity person = person(key, username);
        String userId = partnerUsers.ensureUser(new PartnerUsers.PartnerUser(username, username, "Uma", "Usage", key,
                person.getId()));
        readyToSignIn(userId);
        // the same person held access once before; that identity ended before today's sign-in
        earlier.provisioned(userId);
        earlier.revoke("ended before", Instant.now().minus(1, ChronoUnit.DAYS));
        identities.save(earlier);
        person.provisioned(userId);
        identities.save(person);

        Instant before = Instant.now().minusSeconds(5);
        assertThat(new PartnerLogin(fixtures.keycloakUrl()).signIn(username, PASSWORD))
                .isEqualTo(PartnerLogin.Outcome.SIGNED_IN);

        Instant used = awaitLastUse(person.getId());
        assertThat(used).isBetween(before, Instant.now().plusSeconds(5));
        assertThat(lastUse(earlier.getId())).as("the ended identity keeps its own last use").isNull();
        List<AuditEvent> firstUses = firstUses(person.getId());
        assertThat(firstUses).hasSize(1);
        assertThat(firstUses.get(0).getActorKind()).isEqualTo(ActorKind.PARTNER);
        assertThat(firstUses.get(0).getActor()).isEqualTo(username);
        assertThat(firstUses.get(0).getPartnershipKey()).isEqualTo(key);

        // a later sign-in moves it forward; the first use stays recorded once
        assertThat(new PartnerLogin(fixtures.keycloakUrl()).signIn(username, PASSWORD))
                .isEqualTo(PartnerLogin.Outcome.SIGNED_IN);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            usage.syncNow();
            return lastUse(person.getId()).isAfter(used);
        });
        assertThat(firstUses(person.getId())).hasSize(1);
        assertThat(audit.firstBrokenEntry()).isNull();
    }

    /**
     * Keycloak's invitation: the person accepts the partner terms and sets a password, and Keycloak ends there with
     * "account updated", signing nobody in. That is the person taking the account over: the invitation is no longer
     * pending, although no sign-in has happened yet.
     */
    @Test
    void anInvitationIsPendingUntilThePersonAcceptsTheTerms() throws Exception {
        String key = partnership();
        String username = "ines." + key + "@partner.example.org";
        PartnerIdentity person = person(key, username);
        String userId = partnerUsers.ensureUser(new PartnerUsers.PartnerUser(username, username, "Ines", "Invited", key,
                person.getId()));
        person.provisioned(userId);
        identities.save(person);
        assertThat(keycloak.realm(properties.partnerRealm()).users().get(userId).toRepresentation()
                .getRequiredActions()).containsExactly("TERMS_AND_CONDITIONS", "UPDATE_PASSWORD");

        usage.syncNow();
        JsonNode invited = apiRow(key, person.getId());
        assertThat(invited.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(invited.get("invitationPending").asBoolean()).isTrue();

        partnerUsers.sendInvitation(userId, Duration.ofHours(1));
        await().atMost(Duration.ofSeconds(60)).until(() -> Mailbox.newest(username, null) != null);
        Matcher link = INVITATION_LINK.matcher(GreenMailUtil.getBody(Mailbox.newest(username, null))
                .replace("=\r\n", "").replace("=3D", "="));
        assertThat(link.find()).as("the invitation carries Keycloak's action link").isTrue();
        Instant before = Instant.now().minusSeconds(5);
        assertThat(new PartnerLogin(fixtures.keycloakUrl()).acceptInvitation(link.group(1), PASSWORD))
                .contains("name=\"accept\"").contains("name=\"password-new\"");
        assertThat(keycloak.realm(properties.partnerRealm()).users().get(userId).toRepresentation().getAttributes())
                .containsKey("terms_and_conditions");

        assertThat(awaitLastUse(person.getId())).isBetween(before, Instant.now().plusSeconds(5));
        assertThat(apiRow(key, person.getId()).get("invitationPending").asBoolean()).isFalse();
        assertThat(keycloak.realm(properties.partnerRealm()).getEvents(List.of(PartnerRealm.LOGIN), null, userId,
                null, null, null, 0, 10)).as("the terms ended it, not a sign-in").isEmpty();
        assertThat(firstUses(person.getId())).singleElement().satisfies(entry -> {
            assertThat(entry.getActorKind()).isEqualTo(ActorKind.PARTNER);
            assertThat(entry.getActor()).isEqualTo(username);
        });
    }

    @Test
    void aMachinesClientCredentialsTokenSetsLastUse() {
        PartnerIdentity machine = machine(partnership());
        String clientId = machine.getKeycloakName();
        String secret = partnerClients.currentSecret(clientId).orElseThrow();
        usage.syncNow();
        assertThat(lastUse(machine.getId())).as("not used yet").isNull();

        Instant before = Instant.now().minusSeconds(5);
        HttpResponse<String> token = Tokens.clientCredentials(fixtures.keycloakUrl(), properties.partnerRealm(),
                clientId, secret);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);

        assertThat(awaitLastUse(machine.getId())).isBetween(before, Instant.now().plusSeconds(5));
        assertThat(firstUses(machine.getId())).singleElement()
                .satisfies(entry -> assertThat(entry.getActor()).isEqualTo(clientId));
    }

    /**
     * The cut-off's proof takes a token with the machine's secret; Keycloak records it like the partner's own. It is
     * not the partner's use: the machine's first use is the partner's token that follows.
     */
    @Test
    void theApplicationsOwnProbeIsNotThePartnersUse() throws Exception {
        PartnerIdentity machine = machine(partnership());
        String clientId = machine.getKeycloakName();
        String secret = partnerClients.currentSecret(clientId).orElseThrow();

        Instant probed = Instant.now();
        assertThat(probe.clientCredentials(clientId, secret)).isPresent();
        await().atMost(Duration.ofSeconds(30)).until(() -> partnerRealm.lastClientLogin(clientId).isPresent());
        usage.syncNow();
        assertThat(lastUse(machine.getId())).as("after the probe alone").isNull();

        Thread.sleep(1_100);
        Instant partnerAsked = Instant.now().minusMillis(100);
        HttpResponse<String> token = Tokens.clientCredentials(fixtures.keycloakUrl(), properties.partnerRealm(),
                clientId, secret);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        Instant used = awaitLastUse(machine.getId());
        assertThat(used).as("the partner's token, not the probe at " + probed).isAfterOrEqualTo(partnerAsked);
        assertThat(firstUses(machine.getId())).hasSize(1);
    }

    private PartnerIdentity machine(String key) {
        String id = fixtures.provisionedMachine(key, "pa-usage-" + UUID.randomUUID().toString().substring(0, 8));
        return identities.findById(id).orElseThrow();
    }

    private JsonNode apiRow(String key, String identityId) throws Exception {
        HttpResponse<String> page = fixtures.client().get("alice.auditor",
                "/api/identities?partnership=" + key);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        for (JsonNode item : JSON.readTree(page.body()).get("items")) {
            if (item.get("id").asText().equals(identityId)) {
                return item;
            }
        }
        throw new AssertionError(identityId + " not listed: " + page.body());
    }

    private Instant awaitLastUse(String identityId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            usage.syncNow();
            return lastUse(identityId) != null;
        });
        return lastUse(identityId);
    }

    private Instant lastUse(String identityId) {
        return identities.findById(identityId).orElseThrow().getLastUsedAt();
    }

    private List<AuditEvent> firstUses(String identityId) {
        return audit.ofIdentity(identityId).stream().filter(e -> e.getAction().equals("IDENTITY_FIRST_USED")).toList();
    }

    /** What the invitation does for a real person (accept the terms, set a password), done here by the admin API. */
    private void readyToSignIn(String userId) {
        PartnerLogin.readyToSignIn(keycloak.realm(properties.partnerRealm()).users().get(userId), PASSWORD);
    }

    private PartnerIdentity person(String key, String username) {
        PartnerIdentity identity = new PartnerIdentity(UUID.randomUUID().toString(), key, IdentityKind.HUMAN,
                "Uma Usage", username, username, "sam.sponsor", "Plans shipments for the usage test", null,
                Set.of(), Instant.now().plus(30, ChronoUnit.DAYS), "rita.requester");
        identity.approve("sam.sponsor", Instant.now());
        return identities.save(identity);
    }

    private String partnership() {
        String key = "use" + UUID.randomUUID().toString().substring(0, 8);
        Partnership partnership = new Partnership(key, "Usage " + key, "sam.sponsor", "ian.owner", "ian.owner",
                "Reads open orders to plan shipments for the usage test", Set.of("internal"), Set.of("test"),
                Set.of("orders.read"), LocalDate.now(ZoneOffset.UTC).plusDays(60), "rita.requester");
        partnership.approve("sam.sponsor", Instant.now());
        partnership.moveTo(LifecycleState.ACTIVE, null);
        partnerships.save(partnership);
        return key;
    }
}
