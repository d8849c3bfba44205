package org.partneraccess.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.UserRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.PartnershipAction;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.StaffBrowser;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A security officer reports an incident from the partnership's dashboard page, through the form, its confirmation
 * and the session's CSRF token: the partnership is cut off in Keycloak and the page then shows the proof. An auditor
 * and a sponsor posting the same form, a post without the token and a blank reason change nothing.
 */
@PartnerAccessTest
class PartnershipActionsIT {

    private static final String REASON = "Partner reported a stolen laptop with a signed-in session";

    @Autowired
    PartnershipRepository partnerships;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    PartnerUsers partnerUsers;
    @Autowired
    AuditLog audit;
    @Autowired
    IdentityService identity;
    @Autowired
    ItFixtures fixtures;

    @AfterEach
    void clearAuthentication() {
        identity.clearAuthentication();
    }

    @Test
    void aSecurityOfficerReportsAnIncidentFromThePageAndOthersChangeNothing() {
        String key = activePartnership();
        String path = "/dashboard/partnerships/" + key;
        String incidents = path + "/incidents";
        Map<String, String> report = Map.of("reason", REASON, "severity", "HIGH", "confirm", "yes");
        int trailBefore = audit.ofPartnership(key).size();

        // an auditor may read the page, sees no action, and her post with her own session's token is refused
        StaffBrowser alice = new StaffBrowser(fixtures.port());
        HttpResponse<String> alicePage = alice.signIn(path, "alice.auditor", Tokens.DEMO_PASSWORD);
        assertThat(alicePage.statusCode()).isEqualTo(200);
        assertThat(alicePage.body()).doesNotContain("id=\"incident-form\"", "id=\"suspension-form\"");
        assertThat(alice.submit(incidents, alicePage.body(), report).statusCode()).isEqualTo(403);
        assertThat(alice.submit(path + "/suspension", alicePage.body(), Map.of("reason", REASON, "confirm", "yes"))
                .statusCode()).isEqualTo(403);
        unchanged(key, trailBefore);

        // a sponsor signed in to the dashboard (his requests page gives him a token): refused too
        StaffBrowser sam = new StaffBrowser(fixtures.port());
        HttpResponse<String> samPage = sam.signIn("/dashboard/requests", "sam.sponsor", Tokens.DEMO_PASSWORD);
        assertThat(samPage.statusCode()).isEqualTo(200);
        assertThat(sam.submit(incidents, samPage.body(), report).statusCode()).isEqualTo(403);
        unchanged(key, trailBefore);

        // the security officer sees the form; without the CSRF token her post is refused
        StaffBrowser sofia = new StaffBrowser(fixtures.port());
        HttpResponse<String> page = sofia.signIn(path, "sofia.security", Tokens.DEMO_PASSWORD);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"incident-form\"", "id=\"suspension-form\"", "name=\"confirm\"")
                .doesNotContain("id=\"resumption-form\"", "id=\"revocation-proof\"");
        assertThat(sofia.post(incidents, report).statusCode()).isEqualTo(403);
        unchanged(key, trailBefore);

        // a blank reason: the form again with the field's message
        HttpResponse<String> blank = sofia.submit(incidents, page.body(),
                Map.of("reason", "  ", "severity", "HIGH", "confirm", "yes"));
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(PageSlices.slice(blank.body(), "id=\"incident-form\"", "</form>"))
                .contains("data-field=\"reason\"", "must not be blank");
        // not confirmed: the same
        HttpResponse<String> unconfirmed = sofia.submit(incidents, page.body(),
                Map.of("reason", REASON, "severity", "HIGH"));
        assertThat(unconfirmed.statusCode()).isEqualTo(400);
        assertThat(PageSlices.slice(unconfirmed.body(), "id=\"incident-form\"", "</form>"))
                .contains("data-field=\"confirm\"", REASON);
        unchanged(key, trailBefore);

        // confirmed, with a reason: back to the page with the outcome
        HttpResponse<String> reported = sofia.submit(incidents, page.body(), report);
        assertThat(reported.statusCode()).as(reported.body()).isEqualTo(302);
        assertThat(reported.headers().firstValue("Location").orElseThrow()).endsWith(path);
        HttpResponse<String> after = sofia.follow(reported);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).contains("id=\"outcome\"", "Incident reported by sofia.security");

        // cut off in Keycloak, suspended in the registry, audited under her name
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(state(key)).isEqualTo(LifecycleState.SUSPENDED);
            assertThat(identities.findByPartnershipKeyOrderById(key)).extracting(PartnerIdentity::getState)
                    .containsOnly(LifecycleState.REVOKED);
            assertThat(partnerUsers.findUsersOfPartnership(key)).isNotEmpty().noneMatch(UserRepresentation::isEnabled);
            assertThat(audit.ofPartnership(key)).extracting(AuditEvent::getAction)
                    .contains(PartnershipAction.INCIDENT_VERIFIED.name());
        });
        List<AuditEvent> trail = audit.ofPartnership(key);
        assertThat(trail).filteredOn(e -> e.getAction().equals(PartnershipAction.INCIDENT_REPORTED.name()))
                .singleElement().satisfies(e -> {
                    assertThat(e.getActor()).isEqualTo("sofia.security");
                    assertThat(e.getDetail()).isEqualTo("HIGH: " + REASON);
                });
        List<String> people = identities.findByPartnershipKeyOrderById(key).stream().map(PartnerIdentity::getId)
                .toList();
        assertThat(trail).filteredOn(e -> e.getAction().equals("IDENTITY_CUT_OFF"))
                .extracting(AuditEvent::getIdentityId).containsExactlyInAnyOrderElementsOf(people);
        assertThat(trail).filteredOn(e -> e.getAction().equals("IDENTITY_CUT_OFF"))
                .extracting(AuditEvent::getActor).containsOnly("sofia.security");

        // the page now proves it: reported when and by whom, each identity cut off, verified
        String proof = PageSlices.slice(sofia.open(path).body(), "id=\"revocation-proof\"", "</section>");
        assertThat(proof).contains("sofia.security", REASON, "verified: users=");
        for (String id : people) {
            assertThat(PageSlices.slice(proof, "data-id=\"" + id + "\"", "</tr>")).contains("sofia.security")
                    .doesNotContain("not yet");
        }
        // suspended: she is offered a resumption, no suspension; the auditor reads the proof and acts on nothing
        assertThat(sofia.open(path).body()).contains("id=\"resumption-form\"").doesNotContain("id=\"suspension-form\"");
        assertThat(alice.open(path).body()).contains("id=\"revocation-proof\"").doesNotContain("id=\"resumption-form\"");
    }

    /**
     * A termination from the page: an auditor's and a sponsor's posts, and the security officer's own without the box
     * ticked, change nothing; hers, confirmed, ends the partnership and every identity of it, under her name.
     */
    @Test
    void aSecurityOfficerTerminatesFromThePageAndOthersChangeNothing() {
        String key = activePartnership();
        String path = "/dashboard/partnerships/" + key;
        String termination = path + "/termination";
        Map<String, String> end = Map.of("reason", "contract ended early", "confirm", "yes");
        int trailBefore = audit.ofPartnership(key).size();

        StaffBrowser alice = new StaffBrowser(fixtures.port());
        HttpResponse<String> alicePage = alice.signIn(path, "alice.auditor", Tokens.DEMO_PASSWORD);
        assertThat(alicePage.body()).doesNotContain("id=\"termination-form\"");
        assertThat(alice.submit(termination, alicePage.body(), end).statusCode()).isEqualTo(403);
        StaffBrowser sam = new StaffBrowser(fixtures.port());
        HttpResponse<String> samPage = sam.signIn("/dashboard/requests", "sam.sponsor", Tokens.DEMO_PASSWORD);
        assertThat(sam.submit(termination, samPage.body(), end).statusCode()).as("sponsors do not terminate")
                .isEqualTo(403);
        StaffBrowser sofia = new StaffBrowser(fixtures.port());
        HttpResponse<String> page = sofia.signIn(path, "sofia.security", Tokens.DEMO_PASSWORD);
        assertThat(page.body()).contains("id=\"termination-form\"");
        HttpResponse<String> unconfirmed = sofia.submit(termination, page.body(),
                Map.of("reason", "contract ended early"));
        assertThat(unconfirmed.statusCode()).isEqualTo(400);
        assertThat(PageSlices.slice(unconfirmed.body(), "id=\"termination-form\"", "</form>"))
                .contains("data-field=\"confirm\"", "contract ended early");
        unchanged(key, trailBefore);

        HttpResponse<String> terminated = sofia.submit(termination, page.body(), end);
        assertThat(terminated.statusCode()).as(terminated.body()).isEqualTo(302);
        assertThat(sofia.follow(terminated).body()).contains("Termination requested by sofia.security");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(state(key)).isEqualTo(LifecycleState.REVOKED);
            assertThat(identities.findByPartnershipKeyOrderById(key)).extracting(PartnerIdentity::getState)
                    .containsOnly(LifecycleState.REVOKED);
            assertThat(partnerUsers.findUsersOfPartnership(key)).isNotEmpty().noneMatch(UserRepresentation::isEnabled);
        });
        assertThat(partnerships.findById(key).orElseThrow().getStateReason()).isEqualTo("contract ended early");
        assertThat(audit.ofPartnership(key)).filteredOn(e -> e.getAction().equals("IDENTITY_REVOKED"))
                .extracting(AuditEvent::getActor).isNotEmpty().containsOnly("sofia.security");
        assertThat(sofia.open(path).body()).as("nothing left to act on")
                .doesNotContain("id=\"termination-form\"", "id=\"incident-form\"", "id=\"resumption-form\"");
    }

    /**
     * One identity cut off from the page: an auditor's post, and the security officer's naming an identity of another
     * partnership, change nothing; hers for this partnership's contact revokes that person only, under her name.
     */
    @Test
    void aSecurityOfficerCutsOffOneIdentityFromThePage() {
        String key = activePartnership();
        String other = activePartnership();
        String path = "/dashboard/partnerships/" + key;
        String contact = identities.findByPartnershipKeyOrderById(key).get(0).getId();
        String foreign = identities.findByPartnershipKeyOrderById(other).get(0).getId();
        Map<String, String> report = Map.of("identityId", contact, "reason", REASON, "severity", "HIGH", "confirm", "yes");
        int trailBefore = audit.ofPartnership(key).size();
        int otherTrailBefore = audit.ofPartnership(other).size();

        StaffBrowser alice = new StaffBrowser(fixtures.port());
        HttpResponse<String> alicePage = alice.signIn(path, "alice.auditor", Tokens.DEMO_PASSWORD);
        assertThat(alicePage.body()).doesNotContain("id=\"identity-incident-form\"");
        assertThat(alice.submit(path + "/identity-incidents", alicePage.body(), report).statusCode()).isEqualTo(403);
        unchanged(key, trailBefore);

        StaffBrowser sofia = new StaffBrowser(fixtures.port());
        HttpResponse<String> page = sofia.signIn(path, "sofia.security", Tokens.DEMO_PASSWORD);
        assertThat(PageSlices.slice(page.body(), "id=\"identity-incident-form\"", "</form>"))
                .contains("value=\"" + contact + "\"").doesNotContain(foreign);
        HttpResponse<String> elsewhere = sofia.submit(path + "/identity-incidents", page.body(),
                Map.of("identityId", foreign, "reason", REASON, "severity", "HIGH", "confirm", "yes"));
        assertThat(elsewhere.statusCode()).isEqualTo(400);
        assertThat(PageSlices.slice(elsewhere.body(), "id=\"identity-incident-form\"", "</form>"))
                .contains("data-field=\"identityId\"", "not an identity of this partnership");
        unchanged(key, trailBefore);
        unchanged(other, otherTrailBefore);

        HttpResponse<String> reported = sofia.submit(path + "/identity-incidents", page.body(), report);
        assertThat(reported.statusCode()).as(reported.body()).isEqualTo(302);
        assertThat(sofia.follow(reported).body()).contains("Incident of " + contact + " reported by sofia.security");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(identities.findById(contact).orElseThrow().getState()).isEqualTo(LifecycleState.REVOKED);
            assertThat(partnerUsers.findUsersOfPartnership(key)).isNotEmpty().noneMatch(UserRepresentation::isEnabled);
        });
        assertThat(state(key)).as("the partnership keeps its state").isEqualTo(LifecycleState.ACTIVE);
        assertThat(audit.ofIdentity(contact)).filteredOn(e -> e.getAction().equals("IDENTITY_CUT_OFF"))
                .extracting(AuditEvent::getActor).containsExactly("sofia.security");
        unchanged(other, otherTrailBefore);
    }

    /**
     * Still active in the registry and in Keycloak, and the trail has nothing new from staff: no entry by a staff user
     * and no incident, cut-off or suspension (the partner's own onboarding may still add entries by the system).
     */
    private void unchanged(String key, int trailSize) {
        assertThat(state(key)).isEqualTo(LifecycleState.ACTIVE);
        assertThat(identities.findByPartnershipKeyOrderById(key)).extracting(PartnerIdentity::getState)
                .containsOnly(LifecycleState.ACTIVE);
        assertThat(partnerUsers.findUsersOfPartnership(key)).isNotEmpty().allMatch(UserRepresentation::isEnabled);
        List<AuditEvent> trail = audit.ofPartnership(key);
        List<AuditEvent> added = trail.subList(trailSize, trail.size());
        assertThat(added).extracting(AuditEvent::getActor)
                .doesNotContain("alice.auditor", "sam.sponsor", "sofia.security");
        assertThat(added).extracting(AuditEvent::getAction).doesNotContain(PartnershipAction.INCIDENT_REPORTED.name(),
                "IDENTITY_CUT_OFF", "PARTNERSHIP_SUSPENDED", "IDENTITY_SUSPENDED", "INCIDENT_PROCESS_UNAVAILABLE");
    }

    /** Requested, approved by its sponsor, its contact an enabled Keycloak user. */
    private String activePartnership() {
        ItFixtures.PartnershipRequest request = fixtures.partnership("act").requestedBy("robert.requester");
        String key = request.with("contactEmail", request.key() + "@partner.example.org").active();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(state(key)).isEqualTo(LifecycleState.ACTIVE);
            assertThat(identities.findByPartnershipKeyOrderById(key)).isNotEmpty()
                    .extracting(PartnerIdentity::getState).containsOnly(LifecycleState.ACTIVE);
            assertThat(partnerUsers.findUsersOfPartnership(key)).isNotEmpty().allMatch(UserRepresentation::isEnabled);
        });
        return key;
    }

    private LifecycleState state(String key) {
        return partnerships.findById(key).orElseThrow().getState();
    }
}
