package org.partneraccess.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.internet.MimeMessage;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.support.EngineDoors;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.Mailbox;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.StaffBrowser;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * "My requests" as a requester opens it in a browser: her partnership request from the API, who must decide it, the
 * sponsor's rejection with its reason; another requester sees none of it, and requesters reach no other dashboard page.
 */
@PartnerAccessTest
class MyRequestsIT {

    private static final String REASON = "The purpose does not need access to our order data";

    @Autowired
    PartnershipRepository partnerships;
    @Autowired
    TaskService tasks;
    @Autowired
    IdentityService identity;
    @Autowired
    ItFixtures fixtures;
    @Autowired
    MyRequests myRequests;

    @AfterEach
    void clearAuthentication() {
        identity.clearAuthentication();
    }

    @Test
    void aRequesterFollowsHerRequestToTheRejectionAndItsReasonAndNobodyElseSeesIt() {
        ItFixtures.PartnershipRequest request = fixtures.partnership("mine");
        String key = request.with("contactEmail", request.key() + "@partner.example.org").requested();
        // another of hers, still waiting when the first is decided: each row shows its own decisions and deciders
        ItFixtures.PartnershipRequest second = fixtures.partnership("mine");
        String waitingKey = second.with("contactEmail", second.key() + "@partner.example.org").requested();

        StaffBrowser rita = new StaffBrowser(fixtures.port());
        HttpResponse<String> page = rita.signIn("/dashboard/requests", "rita.requester", Tokens.DEMO_PASSWORD);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.uri().getPath()).isEqualTo("/dashboard/requests");
        // her navigation offers her page only, not the pages that would refuse her
        assertThat(page.body()).contains("href=\"/dashboard/requests\"")
                .doesNotContain("href=\"/dashboard/partnerships\"", "href=\"/dashboard/identities\"");

        // waiting for the sponsor, who is named
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String row = row(rita.open("/dashboard/requests").body(), key);
            assertThat(cell(row, "state")).contains(LifecycleState.REQUESTED.name());
            assertThat(cell(row, "next")).contains("Approve partnership Acme Logistics GmbH", "sam.sponsor");
        });
        String waiting = row(rita.open("/dashboard/requests").body(), key);
        assertThat(waiting).contains("href=\"/dashboard/requests/" + key + "\"", "Acme Logistics GmbH");
        assertThat(cell(waiting, "decisions")).doesNotContain("sam.sponsor");

        // the sponsor rejects it, with a reason, as Tasklist completes the task
        MachineFixtures.complete(tasks, identity, key, ProcessIds.TASK_APPROVE_AS_SPONSOR, "sam.sponsor", "sponsors",
                Map.of(Variables.SPONSOR_APPROVED, false, Variables.SPONSOR_COMMENT, REASON));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> partnerships.findById(key).orElseThrow().getState() == LifecycleState.REJECTED);

        String rejected = row(rita.open("/dashboard/requests").body(), key);
        assertThat(cell(rejected, "state")).contains(LifecycleState.REJECTED.name(), REASON);
        assertThat(cell(rejected, "next")).doesNotContain("sam.sponsor");
        assertThat(cell(rejected, "decisions")).contains("Approve as sponsor", "sam.sponsor", "rejected", REASON);
        String stillWaiting = row(rita.open("/dashboard/requests").body(), waitingKey);
        assertThat(cell(stillWaiting, "state")).contains(LifecycleState.REQUESTED.name());
        assertThat(cell(stillWaiting, "next")).contains("sam.sponsor");
        assertThat(cell(stillWaiting, "decisions")).doesNotContain("rejected");
        HttpResponse<String> detail = rita.open("/dashboard/requests/" + key);
        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(cell(row(detail.body(), key), "decisions")).contains("sam.sponsor", "rejected", REASON);

        // another requester: not on his page, and its address answers as if it did not exist
        StaffBrowser robert = new StaffBrowser(fixtures.port());
        HttpResponse<String> his = robert.signIn("/dashboard/requests", "robert.requester", Tokens.DEMO_PASSWORD);
        assertThat(his.statusCode()).isEqualTo(200);
        assertThat(his.body()).doesNotContain(key);
        assertThat(robert.open("/dashboard/requests/" + key).statusCode()).isEqualTo(404);

        // a requester's session opens no other page of the dashboard, nor the API
        for (String path : List.of("/dashboard", "/dashboard/partnerships", "/dashboard/partnerships/" + key,
                "/dashboard/identities", "/dashboard/identities.csv")) {
            assertThat(robert.open(path).statusCode()).as(path).isEqualTo(403);
        }
        assertThat(robert.open("/api/partnerships/" + key).statusCode()).isEqualTo(401);
    }

    /**
     * Tasklist says only "process started": the requester's receipt is a mail naming the request, with the link to
     * its page, sent once the request is stored; a start the server refuses gets none. Started here through Tasklist's
     * session API, as its start form submits.
     */
    @Test
    void aRequestStartedInTasklistIsConfirmedByAMailLinkingToItsPageAndARefusedOneIsNot() throws Exception {
        String key = "rcpt" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> request = PartnerAccessClient.validRequest(key, key + "@partner.example.org");
        Map<String, Object> ownSponsor = new LinkedHashMap<>(request);
        ownSponsor.put("sponsor", "rita.requester");
        EngineDoors doors = fixtures.doors();
        String start = "/process-definition/key/" + ProcessIds.PARTNERSHIP_PROCESS + "/submit-form";

        HttpResponse<String> refused = doors.call(EngineDoors.Via.TASKLIST_SESSION, "rita.requester", "POST", start,
                asStartForm(ownSponsor));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(partnerships.existsById(key)).isFalse();

        HttpResponse<String> started = doors.call(EngineDoors.Via.TASKLIST_SESSION, "rita.requester", "POST", start,
                asStartForm(request));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        MimeMessage receipt = await().atMost(Duration.ofSeconds(30))
                .until(() -> Mailbox.newest("rita.requester@example.com", "Partnership " + key), Objects::nonNull);
        assertThat(receipt.getSubject()).startsWith("Your request is recorded");
        String link = fixtures.url("/dashboard/requests/" + key);
        assertThat(Mailbox.text(receipt)).contains("Partnership " + key + ": Acme Logistics GmbH", "REQUESTED",
                "Approve partnership", "sam.sponsor", link);
        // one receipt: the refused start, which named the same key, got none
        assertThat(Mailbox.naming(key).stream().filter(mail -> mail.contains("Your request is recorded")))
                .containsExactly("[rita.requester@example.com]: " + receipt.getSubject());

        // the link opens her request once she signs in
        StaffBrowser rita = new StaffBrowser(fixtures.port());
        HttpResponse<String> page = rita.signIn("/dashboard/requests/" + key, "rita.requester", Tokens.DEMO_PASSWORD);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.uri().getPath()).isEqualTo("/dashboard/requests/" + key);
        assertThat(cell(row(page.body(), key), "state")).contains(LifecycleState.REQUESTED.name());
    }

    /**
     * A request's page and its receipt read one subject: of a requester's several requests they give that one alone,
     * with its decisions and who decides next, exactly as her whole list shows it; someone else's subject gives nothing.
     */
    @Test
    void oneSubjectGivesThatRequestAsTheListShowsItAndNothingToAnotherRequester() {
        String active = fixtures.partnership("mine").active();
        String machine = fixtures.activeMachine(active).get("id").asText();
        ItFixtures.PartnershipRequest request = fixtures.partnership("mine");
        String rejected = request.with("contactEmail", request.key() + "@partner.example.org").requested();
        ItFixtures.PartnershipRequest other = fixtures.partnership("mine");
        String waiting = other.with("contactEmail", other.key() + "@partner.example.org").requested();
        await().atMost(Duration.ofSeconds(30)).until(() -> !myRequests.on("rita.requester", waiting).isEmpty()
                && !myRequests.on("rita.requester", waiting).get(0).next().isEmpty());
        MachineFixtures.complete(tasks, identity, rejected, ProcessIds.TASK_APPROVE_AS_SPONSOR, "sam.sponsor",
                "sponsors", Map.of(Variables.SPONSOR_APPROVED, false, Variables.SPONSOR_COMMENT, REASON));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> partnerships.findById(rejected).orElseThrow().getState() == LifecycleState.REJECTED);

        List<MyRequests.Request> all = myRequests.of("rita.requester");
        for (String subject : List.of(active, machine, rejected, waiting)) {
            assertThat(myRequests.on("Rita.Requester", subject)).as(subject).hasSize(1)
                    .containsExactlyElementsOf(all.stream().filter(found -> found.subject().equals(subject)).toList());
            assertThat(myRequests.on("robert.requester", subject)).as(subject).isEmpty();
        }
        MyRequests.Request mine = myRequests.on("rita.requester", rejected).get(0);
        assertThat(mine.kind()).isEqualTo(MyRequests.Kind.PARTNERSHIP);
        assertThat(mine.decisions()).extracting(MyRequests.Taken::decidedBy).contains("sam.sponsor");
        assertThat(mine.decisions()).filteredOn(MyRequests.Taken::rejected).extracting(MyRequests.Taken::reason)
                .containsExactly(REASON);
        assertThat(mine.next()).isEmpty();
        assertThat(myRequests.on("rita.requester", machine).get(0).kind()).isEqualTo(MyRequests.Kind.MACHINE);
        assertThat(myRequests.on("rita.requester", waiting).get(0).next()).extracting(MyRequests.Decider::who)
                .anySatisfy(who -> assertThat(who).contains("sam.sponsor"));
        assertThat(myRequests.on("rita.requester", UUID.randomUUID().toString())).isEmpty();
    }

    /** What Tasklist submits for a Camunda Form: text as strings, checklists as JSON arrays. */
    private static Map<String, Object> asStartForm(Map<String, Object> fields) throws JsonProcessingException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> variables = new LinkedHashMap<>();
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            variables.put(field.getKey(), field.getValue() instanceof List<?> list
                    ? Map.of("value", json.writeValueAsString(list), "type", "Json")
                    : Map.of("value", Objects.requireNonNull(field.getValue())));
        }
        return Map.of("variables", variables);
    }

    // ---- reading the page ----

    /** The request's row: from its {@code data-subject} to the end of the row. */
    private static String row(String page, String subject) {
        return PageSlices.slice(page, "data-subject=\"" + subject + "\"", "</tr>");
    }

    private static String cell(String row, String name) {
        return PageSlices.slice(row, "class=\"" + name + "\"", "</td>");
    }
}
