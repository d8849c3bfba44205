package org.partneraccess.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.keycloak.admin.client.Keycloak;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.decision.Decisions;
import org.partneraccess.human.HumanAccessRequest;
import org.partneraccess.human.HumanAccessService;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.partnership.PartnershipService;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * What an integration test of the running application starts from: its port, the managed Keycloak's address, a client
 * of the API, the engine's two doors, and partnerships, people and machines set up the way staff set them up. One
 * place instead of the same injected fields and helpers in each test; every {@link PartnerAccessTest} has it.
 */
@TestComponent
public class ItFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SETTLE = Duration.ofSeconds(60);

    private final Environment environment;
    private final TaskService tasks;
    private final IdentityService identity;
    private final RuntimeService runtime;
    private final PartnershipService partnerships;
    private final PartnerIdentityRepository identities;
    private final HumanAccessService humans;
    private final Decisions decisions;
    private final PartnerUsers partnerUsers;
    private final PartnerClients partnerClients;
    private final Keycloak admin;
    private final ThreadPoolTaskExecutor receipts;

    ItFixtures(Environment environment, TaskService tasks, IdentityService identity, RuntimeService runtime,
               PartnershipService partnerships, PartnerIdentityRepository identities, HumanAccessService humans,
               Decisions decisions, PartnerUsers partnerUsers, PartnerClients partnerClients, Keycloak admin,
               @Qualifier("receiptSender") ThreadPoolTaskExecutor receipts) {
        this.environment = environment;
        this.tasks = tasks;
        this.identity = identity;
        this.runtime = runtime;
        this.partnerships = partnerships;
        this.identities = identities;
        this.humans = humans;
        this.decisions = decisions;
        this.partnerUsers = partnerUsers;
        this.partnerClients = partnerClients;
        this.admin = admin;
        this.receipts = receipts;
    }

    /**
     * Waits until every requester's receipt handed over so far has gone out: they are mailed after the request has
     * answered, so a test comparing the mails naming something waits for them first.
     */
    public void awaitReceiptsSent() {
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(20)).until(() -> receipts.getActiveCount() == 0
                && receipts.getThreadPoolExecutor().getQueue().isEmpty());
    }

    /** The port the application listens on (known once it runs). */
    public int port() {
        return environment.getRequiredProperty("local.server.port", Integer.class);
    }

    /** This path of the running application, as an address. */
    public String url(String path) {
        return "http://localhost:" + port() + path;
    }

    public String keycloakUrl() {
        return environment.getRequiredProperty("partner-access.keycloak.url");
    }

    public PartnerAccessClient client() {
        return new PartnerAccessClient(port(), keycloakUrl());
    }

    /** Fresh doors: each keeps its own tokens and webapp sessions. */
    public EngineDoors doors() {
        return new EngineDoors(port(), keycloakUrl());
    }

    // ---------------------------------------------------------------- partnerships

    /** An ACTIVE partnership for machines and people: read scopes and orders.write, internal data, test and staging. */
    public String activePartnership() {
        return activePartnership(false);
    }

    /** As {@link #activePartnership()}; with production too, which makes it HIGH risk (a security officer approves). */
    public String activePartnership(boolean production) {
        return MachineFixtures.activePartnership(client(), tasks, identity, partnerships, production);
    }

    /**
     * A valid partnership request ({@link PartnerAccessClient#validRequest}) under a new key with this prefix, its
     * contact {@code contact.<key>@partner.example.org}; change it, then request it or make it active.
     */
    public PartnershipRequest partnership(String prefix) {
        return new PartnershipRequest(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** The contact a partnership set up by {@link #partnership(String)} names, unless the test changes it. */
    public static String contactOf(String key) {
        return "contact." + key + "@partner.example.org";
    }

    /** A partnership request being set up; see {@link #partnership(String)}. */
    public final class PartnershipRequest {

        private final String key;
        private final Map<String, Object> body;
        private String requester = "rita.requester";

        private PartnershipRequest(String key) {
            this.key = key;
            this.body = new LinkedHashMap<>(PartnerAccessClient.validRequest(key, contactOf(key)));
        }

        public PartnershipRequest with(String field, Object value) {
            body.put(field, value);
            return this;
        }

        public String key() {
            return key;
        }

        /** Requested by this staff user instead of {@code rita.requester}. */
        public PartnershipRequest requestedBy(String user) {
            this.requester = user;
            return this;
        }

        /** Requested through the API; returns its key. */
        public String requested() {
            HttpResponse<String> created = client().post(requester, "/api/partnerships", body);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            return key;
        }

        /**
         * Requested, approved by the sponsor it names (and by a security officer when it reaches production, as the
         * policy then asks), and resting in its active period: its process at the recertification timer, its row
         * ACTIVE. Returns its key.
         */
        public String active() {
            requested();
            SponsorApproval.approve(tasks, identity, key, String.valueOf(body.get("sponsor")));
            if (((Collection<?>) body.get("environments")).contains("production")) {
                MachineFixtures.complete(tasks, identity, key, ProcessIds.TASK_APPROVE_AS_SECURITY_OFFICER,
                        "sofia.security", "security-officers", Map.of(Variables.SECURITY_OFFICER_APPROVED, true));
            }
            await().atMost(SETTLE).until(() -> runtime.createExecutionQuery().processInstanceBusinessKey(key)
                    .activityId(ProcessIds.TIMER_RECERTIFICATION_DUE).count() == 1);
            await().atMost(SETTLE).until(() -> partnerships.get(key).getState() == LifecycleState.ACTIVE);
            return key;
        }
    }

    // ---------------------------------------------------------------- people

    /** What a person's request through the API holds: orders.read, a purpose, 30 days. */
    public static Map<String, Object> personRequest(String email) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("firstName", "Ada");
        body.put("lastName", "Partner");
        body.put("email", email);
        body.put("roles", List.of("orders.read"));
        body.put("purpose", "Plans shipments from open orders for the EU warehouses");
        body.put("endDate", LocalDate.now().plusDays(30).toString());
        return body;
    }

    /** A person requested through the API by {@code rita.requester}, with these roles (orders.read if none). */
    public String requestPerson(String key, String email, String... roles) {
        Map<String, Object> body = personRequest(email);
        if (roles.length > 0) {
            body.put("roles", List.of(roles));
        }
        HttpResponse<String> created = client().post("rita.requester", "/api/partnerships/" + key + "/humans", body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).get("identityId").asText();
    }

    /** A person requested through the API, approved by the sponsor in their process, and ACTIVE; their identity id. */
    public String activePerson(String key, String email) {
        String id = requestPerson(key, email);
        SponsorApproval.approve(tasks, identity, id);
        awaitState(id, LifecycleState.ACTIVE);
        return id;
    }

    /**
     * A person with orders.read provisioned in Keycloak without a process of their own: registered, the approvals
     * recorded as the process records them, provisioned. Their identity id.
     */
    public String provisionedPerson(String key, String email) {
        String id = humans.register(key, new HumanAccessRequest("Ada", "Partner", email, Set.of("orders.read"),
                "Plans shipments from open orders for the EU warehouses", LocalDate.now().plusDays(30)), "rita.requester");
        RecordedApprovals.approvePerson(humans, decisions, id, "sam.sponsor");
        humans.provision(id);
        return id;
    }

    /**
     * What Keycloak's invitation has the person do (accept the terms, verify the address, set this password), done
     * through the admin API, for tests that need a person who can sign in but do not test the invitation.
     */
    public void readyToSignIn(String email, String password) {
        PartnerLogin.readyToSignIn(admin.realm(environment.getRequiredProperty("partner-access.keycloak.partner-realm"))
                .users().get(partnerUsers.findUser(email).orElseThrow().getId()), password);
    }

    // ---------------------------------------------------------------- machines

    /** A machine registered through the API by {@code rita.requester}, as answered. */
    public JsonNode registerMachine(String key, Map<String, Object> registration) {
        return registerMachine("rita.requester", key, registration);
    }

    /** A machine registered through the API by this staff user, as answered. */
    public JsonNode registerMachine(String user, String key, Map<String, Object> registration) {
        HttpResponse<String> created = client().post(user, "/api/partnerships/" + key + "/machines", registration);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created);
    }

    /** A machine registered through the API, as answered, once its row is ACTIVE. */
    public JsonNode activeMachine(String key, Map<String, Object> registration) {
        JsonNode machine = registerMachine(key, registration);
        awaitState(machine.get("id").asText(), LifecycleState.ACTIVE);
        return machine;
    }

    /** A low-risk secret client with orders.read, provisioned by the policy alone, once its row is ACTIVE. */
    public JsonNode activeMachine(String key) {
        return activeMachine(key, MachineFixtures.registration("CLIENT_SECRET", null, "orders.read"));
    }

    /**
     * A machine with a client secret and orders.read, its client made in Keycloak and its row ACTIVE directly, without
     * a process: for tests that need many machines holding access quickly. Its client id is also its name; returns its
     * identity id.
     */
    public String provisionedMachine(String key, String clientId) {
        return provisionedMachine(key, clientId, PartnerClients.AuthMethod.CLIENT_SECRET, null, null, false);
    }

    /**
     * The same with orders.read, authenticating this way: its keys at {@code jwksUrl} or given as {@code jwks}, its
     * tokens bound to a key it holds when {@code dpopBoundTokens} (what registration leaves to the policy).
     */
    public String provisionedMachine(String key, String clientId, PartnerClients.AuthMethod authMethod, String jwksUrl,
                                     String jwks, boolean dpopBoundTokens) {
        PartnerIdentity row = identities.save(new PartnerIdentity(UUID.randomUUID().toString(), key, IdentityKind.MACHINE,
                clientId, clientId, null, "ian.owner", "Reads open orders for shipment planning", "test",
                Set.of("orders.read"), Instant.now().plus(Duration.ofDays(30)), "rita.requester"));
        row.provisioned(partnerClients.ensureMachineClient(new PartnerClients.MachineClient(clientId, clientId,
                "provisioned by a test", key, row.getId(), List.of("orders.read"), Duration.ofSeconds(60), authMethod,
                jwksUrl, jwks, dpopBoundTokens)));
        identities.save(row);
        return row.getId();
    }

    // ---------------------------------------------------------------- waiting

    /** Waits until the identity's row is in this state. */
    public void awaitState(String identityId, LifecycleState state) {
        await().atMost(SETTLE).until(() -> identities.findById(identityId).orElseThrow().getState() == state);
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
