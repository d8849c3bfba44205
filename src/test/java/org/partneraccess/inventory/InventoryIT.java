package org.partneraccess.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.partneraccess.LifecycleState;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.partnership.Partnership;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.PartnerAccessTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The inventory as auditors read it: filters, paging and order, as JSON and as CSV, for identities and partnerships.
 * The registry rows are written directly, so every state and date is exactly what the assertions expect.
 */
@PartnerAccessTest
class InventoryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORMULA = "=HYPERLINK(\"http://evil.example\",\"click\")";

    @Autowired
    PartnershipRepository partnerships;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ItFixtures fixtures;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private String prefix;
    private String sponsor;
    private String owner;
    private String key;
    /** Identities of {@link #key} in end-date order. */
    private final List<String> ids = new ArrayList<>();
    private Instant machineLastUsed;

    @BeforeEach
    void registry() {
        prefix = "inv" + UUID.randomUUID().toString().substring(0, 8);
        sponsor = "sponsor-" + prefix;
        owner = "owner-" + prefix;
        key = prefix + "-a";
        partnership(key, LifecycleState.ACTIVE, 100, now.minus(1, ChronoUnit.DAYS));
        partnership(prefix + "-b", LifecycleState.SUSPENDED, 200, null);
        partnership(prefix + "-c", LifecycleState.REVOKED, 10, null);

        ids.add(identity(IdentityKind.HUMAN, LifecycleState.ACTIVE, "Ada " + prefix, FORMULA, owner, 10,
                now.minus(1, ChronoUnit.DAYS)));
        ids.add(identity(IdentityKind.HUMAN, LifecycleState.SUSPENDED, "Bob " + prefix, "Bob reads orders", owner, 20,
                null));
        ids.add(identity(IdentityKind.MACHINE, LifecycleState.ACTIVE, "Cid " + prefix, "Order sync", owner, 30,
                now.plus(60, ChronoUnit.DAYS)));
        ids.add(identity(IdentityKind.MACHINE, LifecycleState.REVOKED, "Dan " + prefix, "Old sync", owner, 40, null));
        ids.add(identity(IdentityKind.HUMAN, LifecycleState.REQUESTED, "Eve " + prefix, "Eve plans shipments",
                owner + "-2", 400, null));
        machineLastUsed = now.minus(3, ChronoUnit.HOURS);
        jdbc.update("update partner_identity set last_used_at = ? where identity_id = ?",
                machineLastUsed.atOffset(ZoneOffset.UTC), ids.get(2));
    }

    @Test
    void identitiesAreFilteredPagedAndOrdered() throws Exception {
        JsonNode all = json("/api/identities?partnership=" + key);
        assertThat(all.get("total").asLong()).isEqualTo(5);
        assertThat(idsOf(all)).containsExactlyElementsOf(ids);
        JsonNode ada = all.get("items").get(0);
        assertThat(ada.get("owner").asText()).isEqualTo(owner);
        assertThat(ada.get("purpose").asText()).isEqualTo(FORMULA);
        assertThat(ada.get("approvedBy").asText()).isEqualTo("sam.sponsor");
        assertThat(LocalDate.parse(ada.get("endDate").asText()))
                .isEqualTo(LocalDate.ofInstant(now.plus(10, ChronoUnit.DAYS), ZoneOffset.UTC));
        assertThat(Instant.parse(ada.get("accessEndsAt").asText())).isEqualTo(now.plus(10, ChronoUnit.DAYS));
        assertThat(Instant.parse(ada.get("nextReviewAt").asText())).isEqualTo(now.minus(1, ChronoUnit.DAYS));
        assertThat(ada.get("lastUsedAt").isNull()).isTrue();
        assertThat(Instant.parse(all.get("items").get(2).get("lastUsedAt").asText())).isEqualTo(machineLastUsed);

        assertThat(idsOf(json("/api/identities?partnership=" + key + "&state=ACTIVE&state=SUSPENDED")))
                .containsExactly(ids.get(0), ids.get(1), ids.get(2));
        assertThat(idsOf(json("/api/identities?partnership=" + key + "&kind=MACHINE")))
                .containsExactly(ids.get(2), ids.get(3));
        assertThat(idsOf(json("/api/identities?owner=" + owner + "-2"))).containsExactly(ids.get(4));
        assertThat(idsOf(json("/api/identities?partnership=" + key + "&expiringBefore="
                + now.plus(25, ChronoUnit.DAYS)))).containsExactly(ids.get(0), ids.get(1));
        assertThat(idsOf(json("/api/identities?partnership=" + key + "&reviewBefore=" + now)))
                .containsExactly(ids.get(0));

        JsonNode second = json("/api/identities?partnership=" + key + "&size=2&page=1");
        assertThat(idsOf(second)).containsExactly(ids.get(2), ids.get(3));
        assertThat(second.get("total").asLong()).isEqualTo(5);
        assertThat(second.get("page").asInt()).isEqualTo(1);
        assertThat(second.get("size").asInt()).isEqualTo(2);
        assertThat(json("/api/identities?partnership=" + key + "&size=2&page=3").get("total").asLong()).isEqualTo(5);

        assertThat(idsOf(json("/api/identities?partnership=" + key + "&sort=endDate,desc")))
                .containsExactlyElementsOf(reversed(ids));
        assertThat(idsOf(json("/api/identities?partnership=" + key + "&sort=kind,desc&sort=-displayName")))
                .containsExactly(ids.get(3), ids.get(2), ids.get(4), ids.get(1), ids.get(0));
        assertThat(idsOf(json("/api/identities?partnership=" + key + "&sort=lastUsedAt,desc")).get(0))
                .isEqualTo(ids.get(2));
    }

    /**
     * An access requested until 2027-03-15 lasts through that day: the registry keeps the instant it stops (the next
     * midnight, UTC), people read the day they asked for, in JSON and CSV alike.
     */
    @Test
    void theEndDateIsTheLastDayRequestedAndANeverSeenPersonHasAnInvitationPending() throws Exception {
        LocalDate lastDay = LocalDate.of(2027, 3, 15);
        String person = identities.save(provisioned(new PartnerIdentity(UUID.randomUUID().toString(), key,
                IdentityKind.HUMAN, "Fay " + prefix, "fay." + prefix, "fay." + prefix + "@partner.example.org", owner,
                "Plans shipments", null, Set.of("orders.read"), PartnerIdentity.endOfDay(lastDay),
                "rita.requester"))).getId();
        String machine = identities.save(provisioned(new PartnerIdentity(UUID.randomUUID().toString(), key,
                IdentityKind.MACHINE, "Gus " + prefix, "pa-m-gus-" + prefix, null, owner, "Order sync", "test",
                Set.of("orders.read"), PartnerIdentity.endOfDay(lastDay), "rita.requester"))).getId();

        JsonNode page = json("/api/identities?partnership=" + key);
        JsonNode fay = item(page, person);
        assertThat(fay.get("endDate").asText()).isEqualTo("2027-03-15");
        assertThat(fay.get("accessEndsAt").asText()).isEqualTo("2027-03-16T00:00:00Z");
        assertThat(fay.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(fay.get("invitationPending").asBoolean()).isTrue();
        JsonNode gus = item(page, machine);
        assertThat(gus.get("endDate").asText()).isEqualTo("2027-03-15");
        assertThat(gus.get("invitationPending").asBoolean()).as("machines are not invited").isFalse();

        // once the person is seen in the partner realm, nothing is pending
        jdbc.update("update partner_identity set last_used_at = ? where identity_id = ?",
                now.atOffset(ZoneOffset.UTC), person);
        assertThat(item(json("/api/identities?partnership=" + key), person).get("invitationPending").asBoolean())
                .isFalse();

        String[] csv = fixtures.client().get("alice.auditor", "/api/identities?partnership=" + key, "text/csv").body()
                .split("\r\n");
        assertThat(csv[0]).endsWith(",endDate,requestedBy,approvedBy,approvedAt,nextReviewAt,lastUsedAt,revokedAt,"
                + "accessEndsAt,invitationPending");
        assertThat(csv).filteredOn(line -> line.startsWith(person + ",")).singleElement().satisfies(line ->
                assertThat(line).contains(",2027-03-15,rita.requester,").endsWith(",2027-03-16T00:00:00Z,false"));
        assertThat(csv).filteredOn(line -> line.startsWith(machine + ",")).singleElement().satisfies(line ->
                assertThat(line).endsWith(",2027-03-16T00:00:00Z,false"));
    }

    @Test
    void badFiltersAndOrdersAreNamedAndOnlyInventoryReadersMayRead() throws Exception {
        HttpResponse<String> badSort = fixtures.client().get("alice.auditor", "/api/identities?sort=password");
        assertThat(badSort.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badSort.body()).get("errors").get("sort").asText()).contains("sortable are");
        HttpResponse<String> badKind = fixtures.client().get("alice.auditor", "/api/identities?kind=ROBOT");
        assertThat(badKind.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badKind.body()).get("errors").has("kind")).isTrue();
        HttpResponse<String> badCsv = fixtures.client().get("alice.auditor", "/api/identities?sort=password", "text/csv");
        assertThat(badCsv.statusCode()).isEqualTo(400);
        assertThat(badCsv.body()).contains("sort");

        // a requester of its own (other tests sign rita in and out, wrong passwords included)
        assertThat(fixtures.client().get("robert.requester", "/api/identities", "text/csv").statusCode()).isEqualTo(403);
        assertThat(fixtures.client().get("robert.requester", "/api/identities").statusCode()).isEqualTo(403);
    }

    @Test
    void identitiesAreExportedAsCsvInTheRequestedOrder() throws Exception {
        HttpResponse<String> csv = fixtures.client().get("sofia.security", "/api/identities?partnership=" + key
                + "&sort=endDate,desc", "text/csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(csv.headers().firstValue("Content-Disposition").orElseThrow()).contains("identities.csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0]).isEqualTo(String.join(",", IdentityView.CSV_HEADER));
        assertThat(lines).hasSize(6);
        List<String> order = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            order.add(lines[i].substring(0, lines[i].indexOf(',')));
        }
        assertThat(order).containsExactlyElementsOf(reversed(ids));
        // a purpose a spreadsheet would run as a formula is written as text
        assertThat(lines[5]).contains(",\"'=HYPERLINK(").contains(",sam.sponsor,");
        assertThat(lines[4]).startsWith(ids.get(1) + "," + key + ",HUMAN,SUSPENDED,");
        assertThat(lines[3]).contains("," + machineLastUsed + ",");

        // the default is JSON, whatever else the caller accepts
        assertThat(fixtures.client().get("sofia.security", "/api/identities?partnership=" + key, "*/*").body())
                .startsWith("{\"items\":");
    }

    @Test
    void partnershipsAreFilteredPagedOrderedAndExported() throws Exception {
        HttpResponse<String> all = fixtures.client().get("alice.auditor", "/api/partnerships?sponsor=" + sponsor);
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(keysOf(JSON.readTree(all.body()))).containsExactly(key, prefix + "-b", prefix + "-c");
        assertThat(all.headers().firstValue("X-Total-Count")).hasValue("3");
        assertThat(all.headers().firstValue("Link")).isEmpty();
        JsonNode first = JSON.readTree(all.body()).get(0);
        assertThat(first.get("sponsor").asText()).isEqualTo(sponsor);
        assertThat(first.get("approvedBy").asText()).isEqualTo("sam.sponsor");
        assertThat(Instant.parse(first.get("nextReviewAt").asText())).isEqualTo(now.minus(1, ChronoUnit.DAYS));
        assertThat(Instant.parse(first.get("lastUsedAt").asText())).isEqualTo(machineLastUsed);

        HttpResponse<String> page = fixtures.client().get("alice.auditor", "/api/partnerships?sponsor=" + sponsor + "&size=2");
        assertThat(keysOf(JSON.readTree(page.body()))).containsExactly(key, prefix + "-b");
        assertThat(page.headers().firstValue("X-Total-Count")).hasValue("3");
        assertThat(page.headers().firstValue("Link").orElseThrow()).contains("page=1").contains("rel=\"next\"");

        assertThat(keysOf(JSON.readTree(fixtures.client().get("alice.auditor", "/api/partnerships?sponsor=" + sponsor
                + "&state=ACTIVE&state=SUSPENDED&sort=endDate,desc").body()))).containsExactly(prefix + "-b", key);
        assertThat(keysOf(JSON.readTree(fixtures.client().get("alice.auditor", "/api/partnerships?sponsor=" + sponsor
                + "&expiringBefore=" + LocalDate.now(ZoneOffset.UTC).plusDays(150)).body())))
                .containsExactly(key, prefix + "-c");
        assertThat(fixtures.client().get("alice.auditor", "/api/partnerships?sort=nope").statusCode()).isEqualTo(400);

        JsonNode one = JSON.readTree(fixtures.client().get("robert.requester", "/api/partnerships/" + key).body());
        assertThat(Instant.parse(one.get("lastUsedAt").asText())).isEqualTo(machineLastUsed);

        HttpResponse<String> csv = fixtures.client().get("alice.auditor", "/api/partnerships?sponsor=" + sponsor
                + "&sort=-key", "text/csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0]).startsWith("key,legalName,state,");
        assertThat(lines).hasSize(4);
        assertThat(lines[1]).startsWith(prefix + "-c,");
        assertThat(lines[3]).startsWith(key + ",").endsWith("," + machineLastUsed);
    }

    private String identity(IdentityKind kind, LifecycleState state, String name, String purpose, String owner,
                            int endInDays, Instant nextReview) {
        PartnerIdentity identity = new PartnerIdentity(UUID.randomUUID().toString(), key, kind, name,
                name.toLowerCase().replace(' ', '.'), null, owner, purpose, kind == IdentityKind.MACHINE ? "test" : null,
                Set.of("orders.read"), now.plus(endInDays, ChronoUnit.DAYS), "rita.requester");
        if (state != LifecycleState.REQUESTED) {
            identity.approve("sam.sponsor", now.minus(5, ChronoUnit.DAYS));
            identity.moveTo(state, state == LifecycleState.ACTIVE ? null : "for the test");
        }
        if (state == LifecycleState.REVOKED) {
            identity.revoke("for the test", now);
        }
        identity.setNextReviewAt(nextReview);
        return identities.save(identity).getId();
    }

    private PartnerIdentity provisioned(PartnerIdentity identity) {
        identity.approve("sam.sponsor", now.minus(5, ChronoUnit.DAYS));
        identity.provisioned("kc-" + identity.getId());
        return identity;
    }

    private static JsonNode item(JsonNode page, String id) {
        for (JsonNode item : page.get("items")) {
            if (item.get("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError(id + " not in " + page);
    }

    private void partnership(String partnershipKey, LifecycleState state, int endInDays, Instant nextReview) {
        Partnership partnership = new Partnership(partnershipKey, "Partner " + partnershipKey, sponsor, "ian.owner",
                "ian.owner", "Reads open orders to plan shipments for the inventory test", Set.of("internal"),
                Set.of("test"), Set.of("orders.read"), LocalDate.now(ZoneOffset.UTC).plusDays(endInDays),
                "rita.requester");
        partnership.approve("sam.sponsor", now.minus(5, ChronoUnit.DAYS));
        partnership.moveTo(state, null);
        partnership.setNextReviewAt(nextReview);
        partnerships.save(partnership);
    }

    private JsonNode json(String path) throws Exception {
        HttpResponse<String> response = fixtures.client().get("alice.auditor", path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> idsOf(JsonNode page) {
        return page.get("items").findValuesAsText("id");
    }

    private static List<String> keysOf(JsonNode array) {
        List<String> keys = new ArrayList<>();
        array.forEach(node -> keys.add(node.get("key").asText()));
        return keys;
    }

    private static List<String> reversed(List<String> values) {
        List<String> copy = new ArrayList<>(values);
        Collections.reverse(copy);
        return copy;
    }
}
