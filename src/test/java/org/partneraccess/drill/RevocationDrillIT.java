package org.partneraccess.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.Drills;
import org.partneraccess.LifecycleState;
import org.partneraccess.audit.ActorKind;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.GovernanceAction;
import org.partneraccess.audit.PartnershipAction;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.PartnerIdentityProviders;
import org.partneraccess.keycloak.TokenProbe;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.support.DatabaseScan;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.KeycloakAdmin;
import org.partneraccess.support.Mailbox;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.StaffBrowser;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The revocation drill against the real Keycloak: the synthetic identities hold working tokens before the report; after
 * it every token is inactive and every credential refused, the result is stored, timed and shown on the dashboard as
 * the installation's revocation time, audited as the system with the chain intact, nobody mailed, and the synthetic
 * partnership is nowhere staff look. Afterwards its Keycloak objects are gone. A drill whose revocation does not hold
 * is stored as failed and alerts the security officers. Staff cannot reach a drill through the API or the engine.
 */
@PartnerAccessTest
// drills stay off (as by default): the drills here are the ones the tests run, and the application context is the one
// every other test shares, so no second engine runs beside it
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class RevocationDrillIT {

    private static final Duration INTERVAL = Duration.ofHours(24);
    private static final Pattern FIGURE = Pattern.compile("id=\"drill-p50\">([0-9.]+) s</strong>\\s*/ p95 "
            + "<strong id=\"drill-p95\">([0-9.]+) s</strong>");

    @Value("${partner-access.keycloak.partner-realm}")
    String partnerRealm;
    @Autowired
    RevocationDrill drill;
    @Autowired
    DrillResults results;
    @Autowired
    DrillFigures figures;
    @Autowired
    SyntheticSignIn signIn;
    @Autowired
    TokenProbe probe;
    @Autowired
    Keycloak admin;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    PartnershipRepository partnerships;
    @Autowired
    AuditLog audit;
    @Autowired
    MeterRegistry meters;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    RuntimeService runtime;
    @Autowired
    HistoryService history;
    @Autowired
    ItFixtures fixtures;

    @Test
    @Order(1)
    void aDrillRevokesEveryIdentityItMeasuresAndNobodyElseSeesIt(CapturedOutput output) throws Exception {
        RevocationDrill.Synthetic synthetic = drill.prepare();
        String key = synthetic.key;
        RealmResource realm = admin.realm(partnerRealm);

        // before: unmistakably synthetic, every identity in Keycloak and holding a working token
        assertThat(synthetic.setUpFailure()).isNull();
        assertThat(key).startsWith(Drills.KEY_PREFIX);
        List<PartnerIdentity> rows = identities.findByPartnershipKeyOrderById(key);
        assertThat(rows).extracting(PartnerIdentity::getKind).containsExactlyInAnyOrder(IdentityKind.HUMAN,
                IdentityKind.MACHINE, IdentityKind.MACHINE, IdentityKind.MACHINE);
        assertThat(rows).allMatch(row -> row.getState() == LifecycleState.ACTIVE && row.getKeycloakId() != null);
        UserRepresentation person = realm.users().get(realm.users().searchByUsername(synthetic.personName(), true)
                .get(0).getId()).toRepresentation();
        assertThat(person.isEnabled()).isTrue();
        assertThat(person.getAttributes().get(KeycloakAttributes.PARTNERSHIP)).containsExactly(key);
        assertThat(realm.users().get(person.getId()).getUserSessions()).as("the person's session").hasSize(1);
        for (String clientId : List.of(synthetic.secretClient(), synthetic.jwtClient(), synthetic.federatedClient())) {
            ClientRepresentation client = realm.clients().findByClientId(clientId).get(0);
            assertThat(client.isEnabled()).as(clientId).isTrue();
            assertThat(client.getAttributes()).containsEntry(KeycloakAttributes.PARTNERSHIP, key);
        }
        // the federated machine: bound to the partnership's provider, whose issuer is the drill's own, its key inline
        String alias = PartnerIdentityProviders.alias(key);
        ClientRepresentation federated = realm.clients().findByClientId(synthetic.federatedClient()).get(0);
        assertThat(federated.getClientAuthenticatorType()).isEqualTo("federated-jwt");
        assertThat(federated.getAttributes()).containsEntry("jwt.credential.issuer", alias);
        IdentityProviderRepresentation provider = realm.identityProviders().get(alias).toRepresentation();
        assertThat(provider.isEnabled()).isTrue();
        assertThat(provider.getProviderId()).isEqualTo("oidc");
        assertThat(provider.getConfig()).containsEntry("issuer", synthetic.workloadIssuer())
                .containsEntry("useJwksUrl", "false").containsEntry(KeycloakAttributes.PARTNERSHIP, key)
                .doesNotContainKey("jwksUrl");
        assertThat(synthetic.workloadIssuer()).startsWith("https://workload-issuer.drill.invalid/");
        assertThat(trustRows(key)).containsExactly("ACTIVE");
        List<String> tokens = List.of(synthetic.personTokens().access(), synthetic.secretToken(), synthetic.jwtToken(),
                synthetic.federatedToken());
        assertThat(tokens).as("active before the report").allMatch(probe::active);

        RevocationDrill.Result result = drill.measure(synthetic);

        // after: every one of them refused or inactive in Keycloak itself
        assertThat(result.outcome()).as(result.detail()).isEqualTo(RevocationDrill.Outcome.OK);
        assertThat(tokens).as("inactive after the drill").noneMatch(probe::active);
        assertThat(signIn.signIn(synthetic.personName(), synthetic.password())).as("the person's password").isEmpty();
        assertThat(signIn.refreshRefused(synthetic.personTokens().refresh())).as("the refresh token").isTrue();
        assertThat(probe.clientCredentials(synthetic.secretClient(), synthetic.secret())).as("the old secret").isEmpty();
        assertThat(probe.clientAssertion(synthetic.jwtClient(), synthetic.newAssertion())).as("the signing key").isEmpty();
        assertThat(probe.clientAssertion(synthetic.federatedClient(), synthetic.newWorkloadToken()))
                .as("a fresh workload token").isEmpty();
        assertThat(realm.identityProviders().get(alias).toRepresentation().isEnabled()).as("the provider").isFalse();
        assertThat(trustRows(key)).containsExactly("REVOKED");
        assertThat(realm.users().get(person.getId()).toRepresentation().isEnabled()).isFalse();
        assertThat(realm.users().get(person.getId()).getUserSessions()).isEmpty();
        for (String clientId : List.of(synthetic.secretClient(), synthetic.jwtClient(), synthetic.federatedClient())) {
            assertThat(realm.clients().findByClientId(clientId).get(0).isEnabled()).as(clientId).isFalse();
        }
        assertThat(identities.findByPartnershipKeyOrderById(key))
                .allMatch(row -> row.getState() == LifecycleState.REVOKED);

        // the result: stored, timed, audited as the system, on the dashboard
        RevocationDrill.Result stored = results.find(result.drillId()).orElseThrow();
        assertThat(stored.outcome()).isEqualTo(RevocationDrill.Outcome.OK);
        assertThat(stored.duration()).isPositive().isEqualTo(Duration.ofMillis(result.duration().toMillis()));
        assertThat(Duration.between(stored.reportedAt(), stored.verifiedAt()).toMillis())
                .isEqualTo(stored.duration().toMillis());
        assertThat(stored.startedAt()).isBefore(stored.reportedAt());
        assertThat(stored.acceptedAt()).isAfter(stored.reportedAt()).isBeforeOrEqualTo(stored.verifiedAt());
        assertThat(List.of(stored.people(), stored.machines(), stored.tokensChecked(), stored.tokensInactive(),
                stored.credentialsChecked(), stored.credentialsRefused())).containsExactly(1, 3, 4, 4, 5, 5);
        Timer timer = meters.find(RevocationDrill.METRIC).tag("outcome", "OK").timer();
        assertThat(timer).isNotNull();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS))
                .isEqualTo(stored.duration().toMillis(), org.assertj.core.data.Offset.offset(1.0));
        HttpResponse<String> scrape = fixtures.client().get("sofia.security",
                "/actuator/prometheus");
        assertThat(scrape.body()).contains("partner_access_revocation_drill_seconds_count{outcome=\"OK\"} 1")
                .contains("partner_access_revocation_drill_seconds{outcome=\"OK\",quantile=\"0.95\"}");

        List<AuditEvent> trail = audit.ofPartnership(key);
        assertThat(trail).extracting(AuditEvent::getAction).contains(GovernanceAction.REVOCATION_DRILL_STARTED.name(),
                "INCIDENT_REPORTED", "IDENTITY_CUT_OFF", "INCIDENT_VERIFIED", GovernanceAction.REVOCATION_DRILL_VERIFIED.name(),
                PartnershipAction.WORKLOAD_TRUST_APPROVED.name(), PartnershipAction.WORKLOAD_TRUST_REVOKED.name());
        assertThat(trail).filteredOn(event -> event.getAction().equals("IDENTITY_CUT_OFF")).hasSize(4);
        assertThat(trail).allMatch(event -> event.getActorKind() == ActorKind.SYSTEM, "every entry by the system")
                .filteredOn(event -> !event.getActor().equals("system")).extracting(AuditEvent::getActor)
                .containsOnly(RevocationDrill.ACTOR);
        assertThat(audit.verify().intact()).as("the audit chain").isTrue();

        StaffBrowser browser = new StaffBrowser(fixtures.port());
        String page = browser.signIn("/dashboard", "sofia.security", Tokens.DEMO_PASSWORD).body();
        DrillFigures.Figure figure = figures.figure();
        Matcher shown = FIGURE.matcher(page);
        assertThat(shown.find()).as("the figure on the dashboard").isTrue();
        assertThat(shown.group(1)).isEqualTo(seconds(figure.p50()));
        assertThat(shown.group(2)).isEqualTo(seconds(figure.p95()));
        assertThat(figure.verified()).isEqualTo(1);
        assertThat(figure.p50()).isEqualTo(stored.duration());
        // the schedule is off here, as by default: the page says so beside the drills run on demand
        assertThat(page).contains("id=\"drill-off\"").doesNotContain("id=\"drill-none\"");

        // nobody mailed; the synthetic partnership is in no listing and no business figure
        assertThat(mailsNaming(synthetic)).isEmpty();
        assertThat(page).doesNotContain(key);
        assertThat(total(page, "Partnerships by state")).isEqualTo(count("partnership", true))
                .isLessThan(count("partnership", false));
        assertThat(total(page, "Identities by state")).isEqualTo(count("partner_identity", true))
                .isLessThanOrEqualTo(count("partner_identity", false) - 3);
        PartnerAccessClient api = fixtures.client();
        HttpResponse<String> listing = api.get("alice.auditor", "/api/partnerships?size=500");
        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(listing.body()).doesNotContain(key);
        HttpResponse<String> identityListing = api.get("alice.auditor", "/api/identities?partnership=" + key);
        assertThat(identityListing.statusCode()).isEqualTo(200);
        assertThat(identityListing.body()).doesNotContain(rows.get(0).getId()).contains("\"total\":0");

        // its secrets rested nowhere: not in the database (the engine's tables included) nor in the log
        for (String secret : List.of(synthetic.password(), synthetic.secret(), synthetic.personTokens().refresh())) {
            assertThat(DatabaseScan.find(dataSource, secret)).as("tables holding a drill's secret").isEmpty();
            assertThat(output.getAll()).doesNotContain(secret);
        }
        assertThat(DatabaseScan.find(dataSource, key)).as("the scan reaches the drill's rows")
                .contains("REVOCATION_DRILL.PARTNERSHIP_KEY", "AUDIT_EVENT.PARTNERSHIP_KEY");
        assertThat(output.getAll()).contains(key);

        // cleaned up: the Keycloak objects deleted, the registry rows ended, still nobody mailed
        synthetic.cleanUp();
        assertThat(realm.users().searchByUsername(synthetic.personName(), true)).isEmpty();
        assertThat(realm.clients().findByClientId(synthetic.secretClient())).isEmpty();
        assertThat(realm.clients().findByClientId(synthetic.jwtClient())).isEmpty();
        assertThat(realm.clients().findByClientId(synthetic.federatedClient())).isEmpty();
        assertThat(realm.identityProviders().findAll()).extracting(IdentityProviderRepresentation::getAlias)
                .doesNotContain(alias);
        assertThat(realm.groups().groups("partner-" + key, true, 0, 10, false)).isEmpty();
        assertThat(partnerships.findById(key).orElseThrow().getState()).isEqualTo(LifecycleState.REVOKED);
        assertThat(audit.ofPartnership(key)).extracting(AuditEvent::getAction).contains(GovernanceAction.REVOCATION_DRILL_CLEANED_UP.name());
        assertThat(audit.ofPartnership(key)).filteredOn(e -> e.getAction().equals(GovernanceAction.REVOCATION_DRILL_CLEANED_UP.name()))
                .extracting(AuditEvent::getDetail).allMatch(detail -> !detail.contains("left in Keycloak"));
        assertThat(audit.verify().intact()).isTrue();
        assertThat(mailsNaming(synthetic)).isEmpty();
    }

    @Test
    @Order(2)
    void staffCannotReachADrillThroughTheApiTheDashboardOrTheEngine() throws Exception {
        RevocationDrill.Result done = drill.run();
        assertThat(done.outcome()).as(done.detail()).isEqualTo(RevocationDrill.Outcome.OK);
        String key = done.partnershipKey();
        String identityId = identities.findByPartnershipKeyOrderById(key).get(0).getId();
        long auditBefore = audit.ofPartnership(key).size();
        PartnerAccessClient api = fixtures.client();

        assertThat(api.get("alice.auditor", "/api/partnerships/" + key).statusCode()).isEqualTo(404);
        assertThat(api.get("sofia.security", "/api/partnerships/" + key + "/receipts/incident").statusCode())
                .isEqualTo(404);
        assertThat(api.get("alice.auditor", "/api/identities/" + identityId + "/evidence").statusCode()).isEqualTo(404);
        assertThat(api.get("sofia.security", "/api/identities/" + identityId + "/receipt").statusCode()).isEqualTo(404);
        for (String action : List.of("incidents", "resumption", "termination")) {
            HttpResponse<String> answer = api.post("sofia.security", "/api/partnerships/" + key + "/" + action,
                    Map.of("reason", "taking over the drill", "severity", "LOW"));
            assertThat(answer.statusCode()).as(action + ": " + answer.body()).isEqualTo(404);
        }
        assertThat(api.post("sofia.security", "/api/identities/" + identityId + "/incidents",
                Map.of("reason", "taking over the drill", "severity", "LOW")).statusCode()).isEqualTo(404);
        // a requester cannot make a partnership look like a drill, nor take a drill's key
        String forged = Drills.KEY_PREFIX + "forged";
        HttpResponse<String> request = api.post("rita.requester", "/api/partnerships",
                PartnerAccessClient.validRequest(forged, "forged@partner.example.org"));
        assertThat(request.statusCode()).isEqualTo(400);
        assertThat(request.body()).contains("partnershipKey").contains("reserved for the revocation drill");
        assertThat(partnerships.existsById(forged)).isFalse();
        // the engine holds nothing of it
        assertThat(runtime.createProcessInstanceQuery().processInstanceBusinessKey(key).count()).isZero();
        assertThat(history.createHistoricProcessInstanceQuery().processInstanceBusinessKey(key).count()).isZero();
        HttpResponse<String> engine = api.get("sofia.security", "/engine-rest/history/process-instance?processInstanceBusinessKey=" + key);
        assertThat(engine.body()).isEqualTo("[]");
        // nor the dashboard
        StaffBrowser browser = new StaffBrowser(fixtures.port());
        browser.signIn("/dashboard", "sofia.security", Tokens.DEMO_PASSWORD);
        assertThat(browser.open("/dashboard/partnerships/" + key).statusCode()).isEqualTo(404);
        assertThat(browser.open("/dashboard/identities/" + identityId + "/evidence").statusCode()).isEqualTo(404);
        assertThat(browser.follow(browser.open("/dashboard/partnerships?state=REVOKED")).body()).doesNotContain(key);

        assertThat(audit.ofPartnership(key)).hasSize((int) auditBefore);
        assertThat(partnerships.findById(key).orElseThrow().getState()).isEqualTo(LifecycleState.REVOKED);
    }

    @Test
    @Order(3)
    void aDrillWhoseRevocationDoesNotHoldIsRecordedFailedAndAlertsTheSecurityOfficers() throws Exception {
        RevocationDrill.Synthetic synthetic = drill.prepare();
        assertThat(synthetic.setUpFailure()).isNull();
        RealmResource realm = KeycloakAdmin.realm(partnerRealm);
        // someone rebinds one machine's client in Keycloak: the cut-off refuses to act on it, so it stays enabled
        ClientRepresentation client = realm.clients().findByClientId(synthetic.secretClient()).get(0);
        client.getAttributes().put(KeycloakAttributes.IDENTITY, "someone-else");
        realm.clients().get(client.getId()).update(client);
        try {
            RevocationDrill.Result result = drill.measure(synthetic);

            assertThat(result.outcome()).isEqualTo(RevocationDrill.Outcome.FAILED);
            assertThat(result.verifiedAt()).isNull();
            assertThat(result.detail()).contains("NOT verified").contains("still accepted");
            assertThat(results.find(result.drillId()).orElseThrow().outcome()).isEqualTo(RevocationDrill.Outcome.FAILED);
            assertThat(meters.find(RevocationDrill.METRIC).tag("outcome", "FAILED").timer().count()).isEqualTo(1);
            assertThat(audit.ofPartnership(synthetic.key)).extracting(AuditEvent::getAction)
                    .contains(GovernanceAction.REVOCATION_DRILL_FAILED.name());
            assertThat(Mailbox.naming(synthetic.key)).containsExactly(
                    "[sofia.security@example.com]: Incident on " + synthetic.key + ": access not yet revoked");
            assertThat(figures.figure().failed()).isEqualTo(1);
            String page = new StaffBrowser(fixtures.port()).signIn("/dashboard", "alice.auditor", Tokens.DEMO_PASSWORD)
                    .body();
            assertThat(page).contains("id=\"drill-failed\"");
            assertThat(audit.verify().intact()).isTrue();
        } finally {
            synthetic.cleanUp();
            realm.clients().findByClientId(synthetic.secretClient())
                    .forEach(left -> realm.clients().get(left.getId()).remove());
        }
    }

    /**
     * Every mail naming the drill's partnership, its person or its machines, to anyone: the mail server is shared with
     * the other tests of the run, so a count of all mails could move for reasons of theirs.
     */
    @Test
    @Order(4)
    void ofTwoNodesLookingAtOnceOnlyOneRunsTheTurnAndNoneWithinTheInterval() throws Exception {
        jdbc.update("update revocation_drill_turn set last_started_at = null"); // the turn is due
        long before = jdbc.queryForObject("select count(*) from revocation_drill", Long.class);
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch together = new CountDownLatch(1);
            List<Future<Optional<RevocationDrill.Result>>> looks = new ArrayList<>();
            for (int node = 0; node < 2; node++) {
                looks.add(nodes.submit(() -> {
                    together.await();
                    return drill.runIfDue(INTERVAL);
                }));
            }
            together.countDown();
            List<Optional<RevocationDrill.Result>> outcomes = new ArrayList<>();
            for (Future<Optional<RevocationDrill.Result>> look : looks) {
                outcomes.add(look.get(5, TimeUnit.MINUTES)); // a safeguard against a hang, not a measurement
            }
            assertThat(outcomes).filteredOn(Optional::isPresent).hasSize(1);
            assertThat(outcomes).filteredOn(Optional::isPresent).extracting(Optional::get)
                    .extracting(RevocationDrill.Result::outcome).containsExactly(RevocationDrill.Outcome.OK);
        } finally {
            nodes.shutdownNow();
        }
        // within the interval a node's next look runs nothing
        assertThat(drill.runIfDue(INTERVAL)).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from revocation_drill", Long.class)).isEqualTo(before + 1);
    }

    private static List<String> mailsNaming(RevocationDrill.Synthetic synthetic) throws Exception {
        return Mailbox.naming(synthetic.key, synthetic.personName(), synthetic.secretClient(), synthetic.jwtClient(),
                synthetic.federatedClient(), "drill.invalid", "revocation drill");
    }

    private List<String> trustRows(String key) {
        return jdbc.queryForList("select state from workload_trust where partnership_key = ?", String.class, key);
    }

    private long count(String table, boolean businessOnly) {
        return jdbc.queryForObject("select count(*) from " + table + (businessOnly ? " where " + Drills.NOT_A_DRILL : ""),
                Long.class);
    }

    private static long total(String page, String heading) {
        Matcher matcher = Pattern.compile(heading + ": <span>(\\d+)</span>").matcher(page);
        assertThat(matcher.find()).as(heading).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.2f", duration.toMillis() / 1000.0);
    }
}
