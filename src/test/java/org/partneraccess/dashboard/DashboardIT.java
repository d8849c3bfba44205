package org.partneraccess.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.partneraccess.Drills;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.partnership.Partnership;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.StaffBrowser;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The dashboard as staff open it in a browser: sign-in at the real staff realm, the figures of what the test created,
 * who may see which page, and that a dashboard session opens nothing under /api.
 */
@PartnerAccessTest
class DashboardIT {

    private static final Pattern ROW = Pattern.compile("<tr data-state=\"(\\w+)\">(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile(">(\\d+)<");

    @Autowired
    PartnershipRepository partnerships;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    IdentityService identity;
    @Autowired
    RuntimeService runtime;
    @Autowired
    ItFixtures fixtures;

    @AfterEach
    void clearAuthentication() {
        identity.clearAuthentication();
    }

    @Test
    void aSecurityOfficerSeesTheFiguresOfWhatExistsAndTheDetailsBehindThem() {
        String key = "dash" + UUID.randomUUID().toString().substring(0, 8);
        partnership(key, LifecycleState.ACTIVE, Instant.now().minus(1, ChronoUnit.DAYS));
        String ada = identity(key, IdentityKind.HUMAN, LifecycleState.ACTIVE, "Ada " + key, 1,
                Instant.now().minus(2, ChronoUnit.DAYS));
        identity(key, IdentityKind.HUMAN, LifecycleState.ACTIVE, "Bob " + key, 20, null);
        identity(key, IdentityKind.MACHINE, LifecycleState.SUSPENDED, "Cid " + key, 30, null);
        identity(key, IdentityKind.HUMAN, LifecycleState.REVOKED, "Dan " + key, 40, null);

        StaffBrowser browser = new StaffBrowser(fixtures.port());
        HttpResponse<String> page = browser.signIn("/dashboard", "sofia.security", Tokens.DEMO_PASSWORD);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.uri().getPath()).isEqualTo("/dashboard");
        assertThat(page.body()).contains("Partner access at a glance", "sofia.security", "<svg");
        // the revocation drill is off unless its interval is set
        assertThat(section(page.body(), "revocation-drill")).contains("Drills off", "REVOCATION_DRILL_INTERVAL");

        // the figures are the registry's, counted when the page was made
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, long[]> expected = identityCountsInDatabase();
            HttpResponse<String> now = browser.open("/dashboard");
            assertThat(rows(section(now.body(), "identities"))).isEqualTo(expectedRows(expected));
            assertThat(rows(section(now.body(), "partnerships"))).isEqualTo(partnershipCountsInDatabase());
        });
        String body = browser.open("/dashboard").body();
        assertThat(section(body, "overdue")).contains(key, "Ada " + key);
        assertThat(section(body, "timeline")).contains("Ada " + key);
        assertThat(section(body, "incidents")).contains("Open incidents: <span>"
                + runtime.createIncidentQuery().count() + "</span> in the engine");
        assertThat(section(body, "drift")).contains("Drift findings: <span id=\"drift-open\">"
                + runtime.createProcessInstanceQuery().processDefinitionKey(ProcessIds.DRIFT_REVIEW_PROCESS).count()
                + "</span> open for review");

        // the partnership's page: exactly its identities
        HttpResponse<String> detail = browser.open("/dashboard/partnerships/" + key);
        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(detail.body()).contains("<span id=\"identity-total\">4</span>");
        assertThat(rows(detail.body())).containsExactly(Map.entry("ACTIVE", List.of(2L, 0L)),
                Map.entry("SUSPENDED", List.of(0L, 1L)), Map.entry("REVOKED", List.of(1L, 0L)));

        HttpResponse<String> list = browser.open("/dashboard/identities?partnership=" + key + "&state=ACTIVE");
        assertThat(list.body()).contains("<span id=\"total\">2</span>", "Ada " + key, "Bob " + key)
                .doesNotContain("Cid " + key);
        HttpResponse<String> csv = browser.open("/dashboard/identities.csv?partnership=" + key);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(csv.body().split("\r\n")).hasSize(5);
        HttpResponse<String> evidence = browser.open("/dashboard/identities/" + ada + "/evidence");
        assertThat(evidence.statusCode()).isEqualTo(200);
        assertThat(evidence.body()).contains("Ada " + key, "Audit evidence of identity " + ada);

        // the session is for these pages only
        assertThat(browser.open("/api/identities").statusCode()).isEqualTo(401);
        assertThat(browser.open("/api/partnerships").statusCode()).isEqualTo(401);

        // the sign-out form of a page drawn after the partnership's page stepped her up (the step-up renews the token)
        HttpResponse<String> signedOut = browser.submit("/logout", detail.body());
        assertThat(signedOut.statusCode()).isEqualTo(302);
        assertThat(signedOut.headers().firstValue("Location").orElseThrow())
                .contains("/realms/staff/protocol/openid-connect/logout");
        assertThat(browser.open("/dashboard").statusCode()).isEqualTo(302);
    }

    /**
     * An access requested until 2027-03-15 shows that day on every page, and a person who has not taken the account
     * over yet shows as ACTIVE with the invitation pending.
     */
    @Test
    void pagesShowTheLastDayRequestedAndWhoseInvitationIsPending() {
        String key = "end" + UUID.randomUUID().toString().substring(0, 8);
        partnership(key, LifecycleState.ACTIVE, null);
        Instant end = PartnerIdentity.endOfDay(LocalDate.of(2027, 3, 15));
        String invited = identity(key, IdentityKind.HUMAN, LifecycleState.ACTIVE, "Ivy " + key, end, null);
        String onboarded = identity(key, IdentityKind.HUMAN, LifecycleState.ACTIVE, "Olga " + key, end, null);
        jdbc.update("update partner_identity set last_used_at = ? where identity_id = ?",
                Instant.now().atOffset(ZoneOffset.UTC), onboarded);

        StaffBrowser browser = new StaffBrowser(fixtures.port());
        assertThat(browser.signIn("/dashboard", "alice.auditor", Tokens.DEMO_PASSWORD).statusCode()).isEqualTo(200);
        for (String path : List.of("/dashboard/identities?partnership=" + key, "/dashboard/partnerships/" + key)) {
            String page = browser.open(path).body();
            assertThat(identityRow(page, invited)).as(path).contains("2027-03-15", "invitation pending")
                    .doesNotContain("2027-03-16");
            assertThat(identityRow(page, onboarded)).as(path).contains("ACTIVE", "2027-03-15")
                    .doesNotContain("invitation pending", "2027-03-16");
        }
        assertThat(browser.open("/dashboard/identities/" + invited + "/evidence").body())
                .contains("2027-03-15", "invitation pending").doesNotContain("2027-03-16");
    }

    @Test
    void withoutASessionTheDashboardSendsToTheStaffRealm() throws Exception {
        StaffBrowser browser = new StaffBrowser(fixtures.port());
        HttpResponse<String> page = browser.open("/dashboard");
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElseThrow()).endsWith("/oauth2/authorization/staff");
        HttpResponse<String> authorization = browser.open("/oauth2/authorization/staff");
        assertThat(authorization.statusCode()).isEqualTo(302);
        assertThat(authorization.headers().firstValue("Location").orElseThrow())
                .startsWith(fixtures.keycloakUrl() + "/realms/staff/protocol/openid-connect/auth?")
                .contains("client_id=partner-access-app", "code_challenge_method=S256");
        assertThat(browser.open("/dashboard/partnerships").statusCode()).isEqualTo(302);

        // a staff bearer token is no way in either: the dashboard knows sessions only
        HttpResponse<String> withToken = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(fixtures.url("/dashboard")))
                .header("Authorization", "Bearer " + Tokens.staff(fixtures.keycloakUrl(), "sofia.security")).GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(withToken.statusCode()).isNotEqualTo(200);
    }

    @Test
    void aRequesterIsRefusedAndAProcessOwnerSeesTheOverviewOnly() {
        HttpResponse<String> requester = new StaffBrowser(fixtures.port()).signIn("/dashboard", "robert.requester",
                Tokens.DEMO_PASSWORD);
        assertThat(requester.statusCode()).isEqualTo(403);

        StaffBrowser owner = new StaffBrowser(fixtures.port());
        HttpResponse<String> overview = owner.signIn("/dashboard", "paul.process", Tokens.DEMO_PASSWORD);
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("The lists behind the figures are for security officers and auditors")
                .doesNotContain("href=\"/dashboard/identities?state=");
        assertThat(owner.open("/dashboard/identities").statusCode()).isEqualTo(403);
        assertThat(owner.open("/dashboard/partnerships").statusCode()).isEqualTo(403);
    }

    @Test
    void aPartnershipCutOffAfterAnIncidentIsShownAsSuspendedByIncident() throws Exception {
        PartnerAccessClient client = fixtures.client();
        ItFixtures.PartnershipRequest request = fixtures.partnership("inc").requestedBy("robert.requester");
        String key = request.with("contactEmail", request.key() + "@partner.example.org").active();
        Map<String, Object> incident = new LinkedHashMap<>();
        incident.put("reason", "credential leak");
        incident.put("severity", "HIGH");
        assertThat(client.post("sofia.security", "/api/partnerships/" + key + "/incidents", incident).statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> state(key) == LifecycleState.SUSPENDED);
        // suspended without an incident: not listed
        String quiet = "sus" + UUID.randomUUID().toString().substring(0, 8);
        partnership(quiet, LifecycleState.SUSPENDED, null);

        String incidents = section(new StaffBrowser(fixtures.port()).signIn("/dashboard", "alice.auditor",
                Tokens.DEMO_PASSWORD)
                .body(), "incidents");
        assertThat(incidents).contains("href=\"/dashboard/partnerships/" + key + "\"", "credential leak")
                .doesNotContain(quiet);
    }

    // ---- data ----

    private LifecycleState state(String key) {
        return partnerships.findById(key).orElseThrow().getState();
    }

    private void partnership(String key, LifecycleState state, Instant nextReview) {
        Partnership partnership = new Partnership(key, "Dashboard " + key, "sam.sponsor", "ian.owner", "ian.owner",
                "Reads open orders to plan shipments for the dashboard test", Set.of("internal"), Set.of("test"),
                Set.of("orders.read"), LocalDate.now(ZoneOffset.UTC).plusDays(120), "rita.requester");
        partnership.approve("sam.sponsor", Instant.now());
        partnership.moveTo(state, state == LifecycleState.ACTIVE ? null : "for the test");
        partnership.setNextReviewAt(nextReview);
        partnerships.save(partnership);
    }

    private String identity(String key, IdentityKind kind, LifecycleState state, String name, int endInDays,
                            Instant nextReview) {
        return identity(key, kind, state, name, Instant.now().plus(endInDays, ChronoUnit.DAYS), nextReview);
    }

    private String identity(String key, IdentityKind kind, LifecycleState state, String name, Instant end,
                            Instant nextReview) {
        PartnerIdentity identity = new PartnerIdentity(UUID.randomUUID().toString(), key, kind, name,
                name.toLowerCase().replace(' ', '.'), null, "ian.owner", "Reads orders for the dashboard test", null,
                Set.of("orders.read"), end, "rita.requester");
        identity.approve("sam.sponsor", Instant.now());
        identity.moveTo(state, null);
        if (state == LifecycleState.REVOKED) {
            identity.revoke("for the test", Instant.now());
        }
        identity.setNextReviewAt(nextReview);
        return identities.save(identity).getId();
    }

    private Map<String, long[]> identityCountsInDatabase() {
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (LifecycleState state : LifecycleState.values()) {
            counts.put(state.name(), new long[2]);
        }
        // the revocation drill's synthetic identities are no business figure
        jdbc.query("select state, kind, count(*) from partner_identity where " + Drills.NOT_A_DRILL
                + " group by state, kind", row -> {
            counts.get(row.getString(1))[row.getString(2).equals("HUMAN") ? 0 : 1] = row.getLong(3);
        });
        return counts;
    }

    private static Map<String, List<Long>> expectedRows(Map<String, long[]> counts) {
        Map<String, List<Long>> rows = new LinkedHashMap<>();
        counts.forEach((state, byKind) -> rows.put(state, List.of(byKind[0], byKind[1], byKind[0] + byKind[1])));
        return rows;
    }

    private Map<String, List<Long>> partnershipCountsInDatabase() {
        Map<String, List<Long>> rows = new LinkedHashMap<>();
        for (LifecycleState state : LifecycleState.values()) {
            rows.put(state.name(), List.of(0L));
        }
        jdbc.query("select state, count(*) from partnership where " + Drills.NOT_A_DRILL + " group by state", row -> {
            rows.put(row.getString(1), List.of(row.getLong(2)));
        });
        return rows;
    }

    // ---- reading the page ----

    private static String section(String page, String id) {
        return PageSlices.slice(page, "id=\"" + id + "\"", "</section>");
    }

    /** The identity's row of a list: from its {@code data-id} to the end of the row. */
    private static String identityRow(String page, String id) {
        return PageSlices.slice(page, "data-id=\"" + id + "\"", "</tr>");
    }

    private static Map<String, List<Long>> rows(String html) {
        Map<String, List<Long>> rows = new LinkedHashMap<>();
        Matcher row = ROW.matcher(html);
        while (row.find()) {
            Matcher number = NUMBER.matcher(row.group(2));
            List<Long> numbers = new java.util.ArrayList<>();
            while (number.find()) {
                numbers.add(Long.parseLong(number.group(1)));
            }
            rows.put(row.group(1), numbers);
        }
        return rows;
    }
}
