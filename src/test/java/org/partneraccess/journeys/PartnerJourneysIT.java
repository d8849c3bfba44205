package org.partneraccess.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMailUtil;
import jakarta.mail.internet.MimeMessage;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.keycloak.representations.idm.UserRepresentation;
import org.openqa.selenium.By;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.dev.DevMailServer;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.partnership.Partnership;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.Mailbox;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.PartnerLogin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Real user journeys in a real browser: staff in Camunda Tasklist, the partner person at Keycloak's pages, each step
 * checked where it takes effect (registry, engine, Keycloak, mail). Screenshots of every step go to
 * {@code target/journeys/<journey>/}.
 */
@PartnerAccessTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartnerJourneysIT {

    private static final Logger LOG = LoggerFactory.getLogger(PartnerJourneysIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LINK = Pattern.compile("(http://\\S+/login-actions/action-token\\S+)");
    private static final String DEMO = "demo";
    private static final String PARTNER_PASSWORD = "Partner-Secret-1";

    @Autowired
    ItFixtures fixtures;
    @Autowired
    TaskService tasks;
    @Autowired
    RuntimeService runtime;
    @Autowired
    IdentityService identity;
    @Autowired
    PartnershipRepository partnerships;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    PartnerUsers partnerUsers;

    private long started;
    private String journey;

    @BeforeEach
    void startClock(TestInfo test) {
        journey = test.getTestMethod().orElseThrow().getName();
        started = System.nanoTime();
    }

    @AfterEach
    void stopClock() {
        identity.clearAuthentication();
        LOG.info("Journey {} took {} s", journey, Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }

    /**
     * Journey 1: a requester fills in the partnership start form, is told what is wrong, corrects it and starts; the
     * form points her to "My requests", and the receipt mail's link opens her request there.
     */
    @Test
    @Order(1)
    void requesterStartsAPartnershipInTasklist() throws Exception {
        String key = newKey("req");
        try (Browser browser = Browser.open("1-requester-starts-a-partnership")) {
            Tasklist tasklist = new Tasklist(browser, fixtures.port());
            tasklist.logIn("rita.requester", DEMO);
            assertThat(tasklist.offersCreateTask()).as("Create task, which the engine refuses her").isFalse();
            browser.screenshot("tasklist");
            tasklist.openStartForm("Partnership");
            browser.screenshot("start-form");

            tasklist.fill("Field_partnershipKey", key);
            tasklist.fill("Field_legalName", "Initech Logistics GmbH");
            // staff fields are pickers: the sponsor's offers only the sponsors group
            tasklist.choose("Field_sponsor", "sam.sponsor");
            tasklist.choose("Field_businessOwner", "ian.owner");
            tasklist.choose("Field_technicalOwner", "ian.owner");
            tasklist.fill("Field_purpose", "orders");
            tasklist.date("Field_endDate", LocalDate.now().plusMonths(6));
            tasklist.tick("Field_dataClasses", 1);
            tasklist.tick("Field_environments", 1);
            tasklist.tick("Field_clientScopes", 0);
            tasklist.fill("Field_contactEmail", key + "@partner.example.org");
            tasklist.fill("Field_contactFirstName", "Ina");
            tasklist.fill("Field_contactLastName", "Initech");

            // the purpose is too short to test: the form says so under the field and will not start
            browser.until("the purpose's error message", d -> tasklist.fieldErrors().contains("minimum length of 30"));
            browser.scrollTo("the purpose field", By.cssSelector("[id$='-Field_purpose']"));
            browser.screenshot("purpose-too-short");
            assertThat(tasklist.startEnabled()).as("Start while the purpose is too short").isFalse();
            assertThat(partnerships.existsById(key)).isFalse();

            tasklist.fill("Field_purpose", "Initech reads open orders to plan shipments for our EU warehouses");
            browser.until("the form valid", d -> tasklist.fieldErrors().isBlank() && tasklist.startEnabled());
            browser.screenshot("form-corrected");
            By myRequests = By.cssSelector(".modal-dialog .fjs-form a[href='/dashboard/requests']");
            browser.scrollTo("the start form's link to My requests", myRequests);
            assertThat(browser.visible("the start form's link to My requests", myRequests).getText())
                    .isEqualTo("My requests");
            browser.screenshot("form-links-my-requests");
            tasklist.start();
            browser.screenshot("process-started");

            // Tasklist says only "started": the receipt names the request and links to its page
            await().atMost(Duration.ofSeconds(30)).until(() -> receipt("rita.requester@example.com", key) != null);
            String mail = GreenMailUtil.getBody(receipt("rita.requester@example.com", key)).replace("=\r\n", "")
                    .replace("=3D", "=");
            String link = fixtures.url("/dashboard/requests/" + key);
            assertThat(mail).contains("Partnership " + key, "sam.sponsor", link);
            browser.go(link);
            assertThat(browser.signInAtStaffRealm("rita.requester", DEMO)).as("signed in once, at Tasklist").isEmpty();
            browser.visible("her request on My requests", By.cssSelector("tr.request[data-subject='" + key + "']"));
            assertThat(browser.driver().getCurrentUrl()).startsWith(link);
            assertThat(browser.text()).contains("Initech Logistics GmbH", LifecycleState.REQUESTED.name(),
                    "Approve partnership", "sam.sponsor");
            browser.screenshot("request-followed");
        }

        Partnership partnership = partnerships.findById(key).orElseThrow();
        assertThat(partnership.getState()).isEqualTo(LifecycleState.REQUESTED);
        assertThat(partnership.getPurpose()).startsWith("Initech reads open orders");
        assertThat(partnership.getClientScopes()).containsExactly("orders.read");
        assertThat(runtime.createProcessInstanceQuery().processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS)
                .processInstanceBusinessKey(key).count()).isEqualTo(1);
        assertThat(runtime.getVariable(processOf(key), "requester")).isEqualTo("rita.requester");
        assertThat(sponsorTask(key)).isNotNull();
    }

    /** Journey 2: the sponsor finds the approval in the group tasks, approves it; the requester cannot see it. */
    @Test
    @Order(2)
    void sponsorApprovesThePartnershipInTasklist() throws Exception {
        String key = fixtures.partnership("spo").requested();
        String contact = ItFixtures.contactOf(key);
        String taskId = sponsorTask(key).getId();

        try (Browser browser = Browser.open("2-sponsor-approves")) {
            Tasklist tasklist = new Tasklist(browser, fixtures.port());
            assertThat(tasklist.logIn("rita.requester", DEMO)).as("a requester is asked for no second factor")
                    .containsExactly("password");
            tasklist.openFilter("My group tasks");
            browser.until("the requester's group task list", d -> browser.shows("No task matching filters found.")
                    || !d.findElements(By.cssSelector(".tasks-list .task")).isEmpty());
            assertThat(browser.driver().findElements(tasklist.listEntry(taskId))).as("requester's task list").isEmpty();
            tasklist.openTaskLink(taskId);
            browser.waitForText("The task does not exist anymore");
            browser.screenshot("requester-cannot-open-the-approval");
            assertThat(browser.shows("I approve this partnership")).isFalse();
        }

        try (Browser browser = Browser.open("2-sponsor-approves")) {
            Tasklist tasklist = new Tasklist(browser, fixtures.port());
            assertThat(tasklist.logIn("sam.sponsor", DEMO)).as("the sponsor is stepped up before Tasklist opens")
                    .containsExactly("password", "one-time code");
            tasklist.openFilter("My group tasks");
            browser.visible("the approval in the sponsor's group tasks", tasklist.listEntry(taskId));
            browser.screenshot("sponsor-group-tasks");
            browser.click("the approval in the list", tasklist.listEntry(taskId));
            browser.until("the approval form of " + key, d -> browser.shows("I approve this partnership")
                    && browser.value("Field_partnershipKey").equals(key));
            assertThat(browser.value("Field_requester")).isEqualTo("rita.requester");
            // what is granted and the policy's risk with the rule that fired, before anything is decided
            assertThat(browser.value("Field_shownScopes")).contains("orders.read");
            assertThat(browser.value("Field_shownEnvironments")).contains("test");
            assertThat(browser.value("Field_shownDataClasses")).contains("internal");
            assertThat(browser.value("Field_riskTier")).isNotBlank()
                    .isEqualTo(partnerships.findById(key).orElseThrow().getRiskTier());
            assertThat(browser.value("Field_riskRule")).isNotBlank();
            browser.screenshot("approval-form");
            tasklist.claim();
            tasklist.check("Field_sponsorApproved");
            browser.screenshot("approved-before-complete");
            tasklist.complete();
            await().atMost(Duration.ofSeconds(30)).until(() -> tasks.createTaskQuery().taskId(taskId).count() == 0);
            browser.until("the approval gone from the list", d -> d.findElements(tasklist.listEntry(taskId)).isEmpty());
            browser.screenshot("task-completed");
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> partnerships.findById(key).orElseThrow().getState()
                == LifecycleState.ACTIVE);
        assertThat(partnerships.findById(key).orElseThrow().getApprovedBy()).isEqualTo("sam.sponsor");
        UserRepresentation user = partnerUsers.findUser(contact).orElseThrow();
        assertThat(user.isEnabled()).isTrue();
        assertThat(user.getAttributes().get(KeycloakAttributes.PARTNERSHIP)).containsExactly(key);
        assertThat(JSON.readTree(fixtures.client().get("sam.sponsor", "/api/partnerships/" + key).body()).get("state")
                .asText())
                .isEqualTo("ACTIVE");
    }

    /**
     * Journey 3: a requester asks for a partner person in Tasklist, the sponsor approves, and the person follows
     * Keycloak's invitation (terms, password) and signs in at the partner realm's account console.
     */
    @Test
    @Order(3)
    void partnerPersonIsInvitedAndSignsIn() throws Exception {
        String key = fixtures.partnership("hum").active();
        String email = "ada." + key + "@partner.example.org";

        try (Browser browser = Browser.open("3-partner-person-signs-in")) {
            Tasklist tasklist = new Tasklist(browser, fixtures.port());
            tasklist.logIn("rita.requester", DEMO);
            tasklist.openStartForm("Human partner access");
            browser.screenshot("person-request-form");
            assertThat(tasklist.choices("Field_roles")).as("roles before a partnership is chosen").isEmpty();
            tasklist.choose("Field_partnershipKey", key);
            // the form offers what this partnership allows, and its end date as the limit
            browser.until("the partnership's scopes offered", d -> !tasklist.choices("Field_roles").isEmpty());
            assertThat(tasklist.choices("Field_roles")).containsExactly("orders.read (read-only)");
            browser.waitForText("access ends on " + partnerships.findById(key).orElseThrow().getEndDate());
            tasklist.fill("Field_firstName", "Ada");
            tasklist.fill("Field_lastName", "Partner");
            tasklist.fill("Field_email", email);
            tasklist.fill("Field_purpose", "Plans shipments from open orders for the EU warehouses");
            tasklist.date("Field_endDate", LocalDate.now().plusDays(30));
            tasklist.tick("Field_roles", 0);
            browser.until("the form valid", d -> tasklist.fieldErrors().isBlank() && tasklist.startEnabled());
            browser.screenshot("person-request-filled");
            tasklist.start();
        }
        String id = personIdentity(key, email);
        assertThat(identities.findById(id).orElseThrow().getState()).isEqualTo(LifecycleState.REQUESTED);
        String taskId = sponsorTask(id).getId();

        try (Browser browser = Browser.open("3-partner-person-signs-in")) {
            Tasklist tasklist = new Tasklist(browser, fixtures.port());
            tasklist.logIn("sam.sponsor", DEMO);
            tasklist.openFilter("My group tasks");
            browser.click("the person's approval in the list", tasklist.listEntry(taskId));
            browser.until("the approval form of " + email, d -> browser.shows("I approve this access")
                    && browser.value("Field_email").equals(email));
            tasklist.claim();
            tasklist.check("Field_sponsorApproved");
            browser.screenshot("person-approval");
            tasklist.complete();
            await().atMost(Duration.ofSeconds(30)).until(() -> tasks.createTaskQuery().taskId(taskId).count() == 0);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> identities.findById(id).orElseThrow().getState()
                == LifecycleState.ACTIVE);
        assertThat(partnerUsers.findUser(email).orElseThrow().getRequiredActions())
                .containsExactly("TERMS_AND_CONDITIONS", "UPDATE_PASSWORD");

        String link = invitationLink(email);
        try (Browser browser = Browser.open("3-partner-person-signs-in")) {
            PartnerAccount account = new PartnerAccount(browser, fixtures.keycloakUrl());
            account.acceptInvitation(link, PARTNER_PASSWORD);
            // the form is gone as soon as the browser leaves it: the session's cookies go only once Keycloak has
            // stored the password and the terms
            await().atMost(Duration.ofSeconds(30)).until(() -> partnerUsers.findUser(email).orElseThrow()
                    .getRequiredActions().isEmpty());
            browser.screenshot("invitation-done");
            account.signOutLocally();
            account.signIn(email, PARTNER_PASSWORD);
            browser.screenshot("account-console");
            assertThat(account.loginError()).isNull();
            assertThat(account.signedIn()).isTrue();
            browser.until("the person's own details in the console", d -> browser.shows("Ada Partner")
                    && browser.value("email").equals(email));
            browser.screenshot("signed-in-as-the-person");
        }
        UserRepresentation user = partnerUsers.findUser(email).orElseThrow();
        assertThat(user.getRequiredActions()).isEmpty();
        assertThat(user.getAttributes()).containsKey("terms_and_conditions");
    }

    /**
     * Journey 4: an auditor signs in at the staff realm's login page; the dashboard shows the partnership active, its
     * end date on the timeline of upcoming expiries, and leads to the partnership's page.
     */
    @Test
    @Order(4)
    void dashboardShowsThePartnershipActiveWithItsExpiry() throws Exception {
        LocalDate endDate = LocalDate.now(ZoneOffset.UTC).plusDays(30);
        String key = fixtures.partnership("dsh").with("endDate", endDate.toString()).active();
        LocalDate week = LocalDate.now(ZoneOffset.UTC).plusWeeks(30 / 7);

        try (Browser browser = Browser.open("4-dashboard")) {
            Dashboard dashboard = new Dashboard(browser, fixtures.port());
            dashboard.signIn("alice.auditor", DEMO);
            // the figures are the registry's when the page is drawn; other partnerships may change meanwhile
            browser.until("the active partnerships counted as in the registry", d -> {
                dashboard.open("/dashboard");
                return dashboard.row(By.id("partnerships"), "ACTIVE")
                        .equals(List.of("ACTIVE", String.valueOf(partnershipsIn(LifecycleState.ACTIVE))))
                        && dashboard.row(By.id("timeline"), week.toString()).get(2)
                        .equals(String.valueOf(partnershipsEndingInWeekOf(week)));
            });
            assertThat(browser.driver().getCurrentUrl()).endsWith("/dashboard");
            assertThat(browser.shows("alice.auditor")).as("who is signed in").isTrue();
            browser.screenshot("dashboard");

            // the week of the end date counts the partnership; the list of what ends next names it, active
            assertThat(Long.parseLong(dashboard.row(By.id("timeline"), week.toString()).get(2))).isPositive();
            List<List<String>> ending = dashboard.rows(By.id("timeline")).stream()
                    .filter(row -> row.size() == 6 && row.get(4).equals(key)).toList();
            assertThat(ending).as("the partner contact among the next to end").hasSize(1);
            assertThat(ending.get(0).get(3)).as("the contact has not signed in yet").isEqualTo("ACTIVE · invitation pending");
            browser.scrollTo("the timeline", By.id("timeline"));
            browser.screenshot("timeline-shows-the-end-date");

            browser.click("the partnership's link", By.cssSelector("#timeline a[href='/dashboard/partnerships/" + key
                    + "']"));
            browser.until("the partnership's page", d -> browser.shows("Partnership " + key));
            assertThat(browser.driver().findElement(By.id("state")).getText()).startsWith("ACTIVE");
            List<List<String>> people = dashboard.rows(By.tagName("body")).stream().filter(row -> row.size() == 10)
                    .toList();
            assertThat(people).as("the partner contact on the partnership's page").hasSize(1);
            assertThat(people.get(0).get(2)).startsWith("ACTIVE");
            assertThat(browser.text()).contains("Ends · next review " + endDate);
            browser.screenshot("partnership-details");
        }
        assertThat(partnerships.findById(key).orElseThrow().getEndDate()).isEqualTo(endDate);
    }

    /**
     * Journey 5: a security officer reports an incident from the partnership's dashboard page and reads its revocation
     * proof there; the partner person's next sign-in fails at Keycloak, the partnership is suspended and the person's
     * identity revoked.
     */
    @Test
    @Order(5)
    void incidentLocksThePartnerPersonOut() throws Exception {
        String key = fixtures.partnership("inc").active();
        String email = "bob." + key + "@partner.example.org";
        String id = activePersonWithPassword(key, email);

        try (Browser browser = Browser.open("5-incident-locks-the-person-out")) {
            PartnerAccount account = new PartnerAccount(browser, fixtures.keycloakUrl());
            account.signIn(email, PARTNER_PASSWORD);
            assertThat(account.signedIn()).as("signed in before the incident").isTrue();
            browser.screenshot("signed-in-before-the-incident");
        }

        try (Browser browser = Browser.open("5-incident-locks-the-person-out")) {
            Dashboard dashboard = new Dashboard(browser, fixtures.port());
            dashboard.signIn("sofia.security", DEMO);
            dashboard.open("/dashboard/partnerships/" + key);
            browser.until("the partnership's page", d -> browser.shows("Partnership " + key));
            browser.type("the incident's reason", By.cssSelector("#incident-form textarea[name='reason']"),
                    "partner laptop stolen");
            browser.click("the confirmation", By.cssSelector("#incident-form input[name='confirm']"));
            browser.screenshot("security-officer-reports-an-incident");
            browser.click("Report incident", By.cssSelector("#incident-form button[type='submit']"));
            browser.until("the outcome", d -> browser.shows("Incident reported by sofia.security"));
            await().atMost(Duration.ofSeconds(60)).until(() -> identities.findById(id).orElseThrow().getState()
                    == LifecycleState.REVOKED);
            browser.until("the revocation proof, verified", d -> {
                dashboard.open("/dashboard/partnerships/" + key);
                return !d.findElements(By.id("verified")).isEmpty()
                        && !d.findElement(By.id("verified")).getText().equals("not yet");
            });
            assertThat(browser.driver().findElement(By.id("reported")).getText()).contains("sofia.security",
                    "partner laptop stolen");
            assertThat(dashboard.rows(By.id("revocation-proof")).stream().filter(row -> row.size() == 6)
                    .map(row -> row.get(0)))
                    .as("every identity of the partnership cut off")
                    .hasSize(identities.findByPartnershipKeyOrderById(key).size())
                    .anyMatch(name -> name.contains(id));
            browser.scrollTo("the revocation proof", By.id("revocation-proof"));
            browser.screenshot("revocation-proof");
        }

        try (Browser browser = Browser.open("5-incident-locks-the-person-out")) {
            PartnerAccount account = new PartnerAccount(browser, fixtures.keycloakUrl());
            account.signIn(email, PARTNER_PASSWORD);
            browser.screenshot("sign-in-refused-after-the-incident");
            assertThat(account.signedIn()).isFalse();
            assertThat(account.loginError()).as("Keycloak's message").contains("Account is disabled");
            LOG.info("Keycloak answered the sign-in after the incident with: {}", account.loginError());
        }

        // the dashboard names the partnership cut off by the incident, and its page every identity revoked
        try (Browser browser = Browser.open("5-incident-locks-the-person-out")) {
            Dashboard dashboard = new Dashboard(browser, fixtures.port());
            dashboard.signIn("sofia.security", DEMO);
            browser.until("the partnership among those suspended by an incident", d -> {
                dashboard.open("/dashboard");
                return dashboard.rows(By.id("incidents")).stream().anyMatch(row -> row.get(0).equals(key));
            });
            browser.scrollTo("the incidents", By.id("incidents"));
            browser.screenshot("dashboard-suspended-by-incident");
            dashboard.follow("the partnership's link", By.cssSelector("#incidents a[href='/dashboard/partnerships/" + key
                    + "']"));
            browser.until("the partnership's page", d -> browser.shows("Partnership " + key));
            assertThat(browser.driver().findElement(By.id("state")).getText()).startsWith("SUSPENDED");
            List<String> states = dashboard.rows(By.tagName("body")).stream().filter(row -> row.size() == 10)
                    .map(row -> row.get(2)).toList();
            assertThat(states).as("identities on the partnership's page")
                    .hasSize(identities.findByPartnershipKeyOrderById(key).size())
                    .allMatch(state -> state.startsWith("REVOKED"));
            browser.screenshot("dashboard-every-identity-revoked");
        }

        JsonNode partnership = JSON.readTree(fixtures.client().get("sofia.security", "/api/partnerships/" + key)
                .body());
        assertThat(partnership.get("state").asText()).isEqualTo("SUSPENDED");
        JsonNode inventory = JSON.readTree(fixtures.client().get("sofia.security", "/api/identities?partnership=" + key)
                .body());
        assertThat(inventory.get("items").findValuesAsText("state")).isNotEmpty().containsOnly("REVOKED");
        assertThat(inventory.get("items").findValuesAsText("id")).contains(id);
        assertThat(partnerUsers.findUser(email).orElseThrow().isEnabled()).isFalse();
    }

    /**
     * Journey 8: the sponsor cannot reject by leaving the box unticked: the form asks for a reason and will not complete
     * without one; with it the request is rejected, and the requester reads the decision and its reason on "My
     * requests".
     */
    @Test
    @Order(8)
    void aRejectionNeedsAReasonAndTheRequesterReadsIt() throws Exception {
        String key = fixtures.partnership("rej").requested();
        String reason = "Our EU warehouses are planned in-house; no partner needs the order data";
        String taskId = sponsorTask(key).getId();
        By complete = By.xpath("//button[normalize-space()='Complete']");

        try (Browser browser = Browser.open("8-a-rejection-needs-a-reason")) {
            Tasklist tasklist = new Tasklist(browser, fixtures.port());
            tasklist.logIn("sam.sponsor", DEMO);
            tasklist.openTaskLink(taskId);
            browser.until("the approval form of " + key, d -> browser.shows("I approve this partnership")
                    && browser.value("Field_partnershipKey").equals(key));
            tasklist.claim();
            // unticked and no reason: the form does not complete
            browser.until("the reason asked for", d -> browser.shows("Reason for rejecting"));
            if (browser.driver().findElement(complete).isEnabled()) {
                browser.click("the Complete button", complete);
            }
            browser.until("the reason's error message", d -> tasklist.fieldErrors().toLowerCase().contains("required"));
            browser.screenshot("rejection-asks-for-a-reason");
            assertThat(tasks.createTaskQuery().taskId(taskId).count()).isEqualTo(1);
            assertThat(partnerships.findById(key).orElseThrow().getState()).isEqualTo(LifecycleState.REQUESTED);

            // Tasklist's notice of the refused submission covers the button: closed as a person would
            browser.driver().findElements(By.cssSelector(".page-notifications .close, .page-notifications button"))
                    .stream().filter(close -> close.isDisplayed()).forEach(close -> close.click());
            browser.until("the notice closed", d -> d.findElements(By.cssSelector(".page-notifications .alert"))
                    .stream().noneMatch(notice -> notice.isDisplayed()));
            tasklist.fill("Field_sponsorComment", reason);
            browser.until("Complete enabled with a reason", d -> d.findElement(complete).isEnabled());
            tasklist.complete();
            await().atMost(Duration.ofSeconds(30)).until(() -> tasks.createTaskQuery().taskId(taskId).count() == 0);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> partnerships.findById(key).orElseThrow().getState()
                == LifecycleState.REJECTED);

        try (Browser browser = Browser.open("8-a-rejection-needs-a-reason")) {
            browser.go(fixtures.url("/dashboard/requests/" + key));
            browser.visible("the staff realm's login page", By.id("kc-login"));
            browser.type("the user name field", By.id("username"), "rita.requester");
            browser.type("the password field", By.id("password"), DEMO);
            browser.click("the Sign In button", By.id("kc-login"));
            browser.waitForText(reason);
            assertThat(browser.shows("REJECTED")).isTrue();
            assertThat(browser.shows("sam.sponsor")).isTrue();
            browser.screenshot("requester-reads-the-reason");
        }
    }

    /**
     * Journey 7: a machine's owner follows the link in the mail to the machine's page, signs in, and collects the
     * client secret once with the mail's token; the partner's first token request with it works, and the page offers
     * it no second time.
     */
    @Test
    @Order(7)
    void machineOwnerCollectsTheSecretInTheBrowser() throws Exception {
        String key = fixtures.partnership("sec").active();
        String clientId = fixtures.activeMachine(key).get("clientId").asText();
        String token = MachineFixtures.handoverToken(clientId + " is active");
        Matcher link = Pattern.compile("(http://\\S+/dashboard/my-machines/\\S+)").matcher(
                Mailbox.text(Mailbox.newest("ian.owner@example.com", clientId + " is active")));
        assertThat(link.find()).as("the machine page's link in the owner's mail").isTrue();

        try (Browser browser = Browser.open("7-machine-owner-collects-the-secret")) {
            browser.go(link.group(1));
            browser.visible("the staff realm's login page", By.id("kc-login"));
            browser.type("the user name field", By.id("username"), "ian.owner");
            browser.type("the password field", By.id("password"), DEMO);
            browser.click("the Sign In button", By.id("kc-login"));
            browser.waitForText("Collect the client secret");
            assertThat(browser.shows(clientId)).isTrue();
            browser.screenshot("machine-page");
            browser.type("the token field", By.name("token"), token);
            browser.click("the Collect button", By.xpath("//button[normalize-space()='Collect the secret']"));
            browser.waitForText("Shown this once");
            String secret = browser.visible("the client secret", By.id("client-secret")).getText().trim();
            browser.screenshot("secret-collected");
            assertThat(MachineFixtures.tokenWithSecret(fixtures.keycloakUrl(), clientId, secret).statusCode())
                    .isEqualTo(200);

            browser.go(link.group(1));
            browser.waitForText("Machine Acme order sync");
            assertThat(browser.shows("Shown this once")).as("the secret on the page again").isFalse();
            assertThat(browser.driver().findElements(By.id("client-secret"))).isEmpty();
        }
    }

    /**
     * Journey 9: one sign-in for every staff page. A security officer signs in with her password at her requests page,
     * which needs nothing more; Tasklist steps her up (the one-time code, no password again); Cockpit and the dashboard
     * then open without any sign-in page; signing out in Tasklist ends all three, and the staff realm's session too.
     */
    @Test
    @Order(9)
    void oneSignInForEveryStaffPageAndOneSignOutForAll() throws Exception {
        try (Browser browser = Browser.open("9-one-sign-in")) {
            Dashboard dashboard = new Dashboard(browser, fixtures.port());
            assertThat(browser.staffSignIn(fixtures.url("/dashboard/requests"), "sofia.security", DEMO))
                    .containsExactly("password");
            browser.waitForText("My requests");

            Tasklist tasklist = new Tasklist(browser, fixtures.port());
            assertThat(tasklist.logIn("sofia.security", DEMO)).as("stepped up, not signed in again")
                    .containsExactly("one-time code");
            assertThat(new Cockpit(browser, fixtures.port()).logIn("sofia.security", DEMO)).isEmpty();
            dashboard.open("/dashboard");
            browser.waitForText("Partner access at a glance");
            browser.screenshot("signed-in-once");

            tasklist.logIn("sofia.security", DEMO);
            browser.click("the account menu", By.cssSelector("li.account > a"));
            browser.click("Log out", By.cssSelector("li.account li.logout a"));
            browser.visible("the staff realm's sign-in page", By.id("kc-login"));
            browser.screenshot("signed-out");
            for (String page : new String[] {"/dashboard", "/camunda/app/cockpit/default/"}) {
                browser.go(fixtures.url(page));
                browser.visible("the staff realm's sign-in page for " + page, By.id("password"));
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String newKey(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A person who has been approved and has followed the invitation (over HTTP: not this journey's subject). */
    private String activePersonWithPassword(String key, String email) throws Exception {
        String id = fixtures.activePerson(key, email);
        new PartnerLogin(fixtures.keycloakUrl()).acceptInvitation(invitationLink(email), PARTNER_PASSWORD);
        assertThat(new PartnerLogin(fixtures.keycloakUrl()).signIn(email, PARTNER_PASSWORD))
                .isEqualTo(PartnerLogin.Outcome.SIGNED_IN);
        return id;
    }

    private long partnershipsIn(LifecycleState state) {
        return partnerships.findAll().stream().filter(p -> p.getState() == state).count();
    }

    /** Partnerships not yet ended whose end date falls in the dashboard's week starting on that day. */
    private long partnershipsEndingInWeekOf(LocalDate start) {
        return partnerships.findAll().stream()
                .filter(p -> p.getState() != LifecycleState.REVOKED && p.getState() != LifecycleState.REJECTED)
                .filter(p -> !p.getEndDate().isBefore(start) && p.getEndDate().isBefore(start.plusWeeks(1))).count();
    }

    private Task sponsorTask(String businessKey) {
        await().atMost(Duration.ofSeconds(30)).until(() -> tasks.createTaskQuery().processInstanceBusinessKey(businessKey)
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_AS_SPONSOR).count() == 1);
        return tasks.createTaskQuery().processInstanceBusinessKey(businessKey)
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_AS_SPONSOR).singleResult();
    }

    private String processOf(String key) {
        return runtime.createProcessInstanceQuery().processDefinitionKey(ProcessIds.PARTNERSHIP_PROCESS)
                .processInstanceBusinessKey(key).singleResult().getId();
    }

    private String personIdentity(String key, String email) {
        await().atMost(Duration.ofSeconds(30)).until(() -> identities.findByPartnershipKeyOrderById(key).stream()
                .anyMatch(i -> email.equalsIgnoreCase(i.getKeycloakName())));
        return identities.findByPartnershipKeyOrderById(key).stream()
                .filter(i -> email.equalsIgnoreCase(i.getKeycloakName())).map(PartnerIdentity::getId)
                .findFirst().orElseThrow();
    }

    /** The action link of Keycloak's invitation mail to this person. */
    private static String invitationLink(String email) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> mailTo(email) != null);
        Matcher link = LINK.matcher(GreenMailUtil.getBody(mailTo(email)).replace("=\r\n", "").replace("=3D", "="));
        assertThat(link.find()).as("the invitation carries Keycloak's action link").isTrue();
        return link.group(1).replace("&amp;", "&");
    }

    /** The receipt of the request on this subject, mailed to its requester, or null. */
    private static MimeMessage receipt(String recipient, String subject) throws Exception {
        MimeMessage found = null;
        for (MimeMessage message : DevMailServer.current().receivedMessages()) {
            if (message.getSubject().startsWith("Your request is recorded") && message.getSubject().contains(subject)
                    && List.of(message.getAllRecipients()).stream().anyMatch(a -> a.toString().equals(recipient))) {
                found = message;
            }
        }
        return found;
    }

    private static MimeMessage mailTo(String recipient) throws Exception {
        MimeMessage found = null;
        for (MimeMessage message : DevMailServer.current().receivedMessages()) {
            if (List.of(message.getAllRecipients()).stream().anyMatch(a -> a.toString().equals(recipient))) {
                found = message;
            }
        }
        return found;
    }
}
