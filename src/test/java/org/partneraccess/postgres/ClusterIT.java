package org.partneraccess.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.keycloak.representations.idm.ClientRepresentation;
import org.partneraccess.ProcessIds;
import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.machine.MachineFixtures;
import org.partneraccess.machine.MachineFixtures.PartnerKey;
import org.partneraccess.support.ApplicationProcess;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Faults and crashes: the application as separate JVMs on one PostgreSQL database and the managed Keycloak, killed
 * with SIGKILL while registrations and revocations are in flight, and running while the mail server is unreachable.
 * Each case has a database of its own; the nodes take their settings from environment variables, as in production.
 * The test JVM's own application (the shared context of this package) only lends the managed Keycloak.
 */
@PartnerAccessTest
// the two-node case first: it is the one the others build on
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT extends FreshPostgresDatabase {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Short, so the survivor takes over a dead node's jobs soon; longer than any job waits in an executor's queue (up
     * to 24 locked at once per node) and runs under load, so no live node's job is taken over.
     */
    private static final Duration LOCK_TIME = Duration.ofSeconds(30);
    private static final String OWNER_MAIL = "ian.owner@example.com";

    @Value("${partner-access.keycloak.url}")
    String keycloakUrl;
    @Autowired
    PartnerClients partnerClients;

    private final List<ApplicationProcess> nodes = new ArrayList<>();
    private final List<GreenMail> mailServers = new ArrayList<>();
    private final PartnerKey partnerKey = PartnerKey.generate();

    @AfterEach
    void stop() {
        nodes.forEach(ApplicationProcess::close);
        mailServers.forEach(GreenMail::stop);
    }

    @Test
    @Order(1)
    void twoNodesShareTheWorkAndTheSurvivorFinishesWhatTheKilledNodeHeld() throws Exception {
        int machines = 150;
        Cluster cluster = new Cluster("cluster", "P30D");
        GreenMail mail = startMail(ApplicationProcess.freePort());
        // the first node creates the schemas alone, then the second joins
        ApplicationProcess doomed = cluster.startNode("node-a", mail);
        ApplicationProcess survivor = cluster.startNode("node-b", mail);
        String partnership = cluster.activePartnership(doomed);

        // registrations keep arriving (at the survivor, so none is cut off with the killed node's connections) while
        // both nodes' job executors take the work and incidents are reported at both; the kill comes in the middle
        Registrations registrations = register(partnership, machines, List.of(survivor));
        Set<String> reported = new HashSet<>();
        Run run = revokeWhenActiveAndKill(cluster, mail, registrations, reported, List.of(doomed, survivor), doomed,
                machines / 4);
        // the remaining registrations and revocations go to the survivor
        revokeWhenActiveAndKill(cluster, mail, registrations, reported, List.of(survivor), null, 0);
        Map<String, String> clientIds = registrations.awaitAll();
        Set<String> toRevoke = registrations.toRevoke;
        Duration recovery = cluster.awaitAllSettled(clientIds, toRevoke, false);

        assertKeycloakHoldsEachMachineOnce(partnership, clientIds, toRevoke, false);
        assertMails(mail, clientIds, toRevoke, run.jobsHeldByKilledNode, true);
        assertThat(run.jobsHeldByKilledNode).as("jobs the killed node held").isNotEmpty();
        assertThat(cluster.auditChainIntact(survivor)).isTrue();
        System.out.printf("ClusterIT two nodes: %d registrations; killed with %d answered, %d of them active, %d revoked "
                        + "and %d on their way (processes in flight), %d incidents reported, %d jobs in the queue, %d locked "
                        + "by the killed node; everything settled %d s after the kill%n",
                machines, run.answeredAtKill, run.activeAtKill, run.revokedAtKill, run.inFlightAtKill(),
                run.reportedAtKill, run.jobsAtKill, run.jobsHeldByKilledNode.size(), recovery.toSeconds());
    }

    @Test
    @Order(2)
    void nodeKilledAndRestartedOnTheSameDatabaseFinishesEverythingExactlyOnce() throws Exception {
        int machines = 200;
        // a short retention: revoked machines run to their end (client deleted) within the test
        Cluster cluster = new Cluster("restart", "PT5S");
        GreenMail mail = startMail(ApplicationProcess.freePort());
        // one job thread, as on a node busier than the registrations: most processes are still on their way at the kill
        ApplicationProcess node = cluster.startNode("restart-1", mail.getSmtp().getPort(), 1);
        String partnership = cluster.activePartnership(node);
        // every registration is answered before the kill: a request cut off with the node has no certain outcome
        Registrations registrations = register(partnership, machines, List.of(node));
        Map<String, String> clientIds = registrations.awaitAll();
        Set<String> toRevoke = registrations.toRevoke;
        Set<String> reported = new HashSet<>();

        Run run = revokeWhenActiveAndKill(cluster, mail, registrations, reported, List.of(node), node, machines / 10);
        Instant restartBegin = Instant.now();
        ApplicationProcess restarted = cluster.startNode("restart-2", mail);
        Duration restart = Duration.between(restartBegin, Instant.now());
        // the remaining revocations go to the restarted node
        revokeWhenActiveAndKill(cluster, mail, registrations, reported, List.of(restarted), null, 0);
        Duration recovery = cluster.awaitAllSettled(clientIds, toRevoke, true);

        assertKeycloakHoldsEachMachineOnce(partnership, clientIds, toRevoke, true);
        assertMails(mail, clientIds, toRevoke, run.jobsHeldByKilledNode, true);
        assertThat(cluster.auditChainIntact(restarted)).isTrue();
        System.out.printf("ClusterIT restart: %d registrations; killed with %d active, %d revoked and %d on their way "
                        + "(processes in flight), %d incidents reported, %d jobs in the queue; restart took %d s; "
                        + "everything settled %d s after the kill%n", machines, run.activeAtKill, run.revokedAtKill,
                run.inFlightAtKill(), run.reportedAtKill, run.jobsAtKill, restart.toSeconds(), recovery.toSeconds());
    }

    @Test
    @Order(3)
    void approvalsAndRevocationsProceedWhileMailIsDownAndTheNoticesFollowWhenItIsBack() throws Exception {
        int smtpPort = ApplicationProcess.freePort();
        Cluster cluster = new Cluster("nomail", "P30D");
        // nothing listens on the mail port yet
        ApplicationProcess node = cluster.startNode("nomail", smtpPort);
        String partnership = cluster.activePartnership(node);
        Registrations registrations = register(partnership, 6, List.of(node));
        Map<String, String> clientIds = registrations.awaitAll();
        Set<String> toRevoke = registrations.toRevoke;
        await().atMost(Duration.ofMinutes(2)).until(() -> cluster.count(
                "select count(*) from partner_identity where partnership_key = ? and kind = 'MACHINE' and state = 'ACTIVE'",
                partnership) == 6);
        String token = Tokens.staff(keycloakUrl, "sofia.security");
        for (String id : toRevoke) {
            assertThat(reportIncident(node, token, id).statusCode()).isEqualTo(202);
        }
        cluster.awaitStates(clientIds, toRevoke);
        assertThat(cluster.count("select count(*) from act_ru_job where exception_msg_ is not null")).as("notices failing")
                .isPositive();
        assertRevokedRefused(clientIds, toRevoke);

        Instant mailBack = Instant.now();
        GreenMail mail = startMail(smtpPort);
        await().atMost(Duration.ofMinutes(7)).pollInterval(Duration.ofSeconds(2)).until(() -> cluster.count(
                "select count(*) from act_ru_job where handler_type_ = 'async-continuation'") == 0);
        Duration delivered = Duration.between(mailBack, Instant.now());
        assertThat(cluster.count("select count(*) from act_ru_incident")).isZero();
        assertThat(Arrays.stream(mail.getReceivedMessages()).anyMatch(message -> subject(message)
                .contains("Partnership " + partnership))).as("the partnership's activation notice").isTrue();
        for (Map.Entry<String, String> machine : clientIds.entrySet()) {
            boolean revoked = toRevoke.contains(machine.getKey());
            // a revocation cancels a pending activation notice: the owner hears only that it is revoked
            assertThat(count(mail, machine.getValue() + " is active")).as(machine.getValue()).isEqualTo(revoked ? 0 : 1);
            assertThat(count(mail, machine.getValue() + " is revoked")).as(machine.getValue()).isEqualTo(revoked ? 1 : 0);
        }
        System.out.printf("ClusterIT mail down: %d machines active and %d revoked without mail; notices delivered %d s "
                + "after the mail server came back%n", clientIds.size() - toRevoke.size(), toRevoke.size(), delivered.toSeconds());
    }

    /**
     * Registrations submitted in the background, several at a time, spread over the nodes; every third is to be
     * revoked. Identity ids and client ids appear as the answers come in.
     */
    private Registrations register(String partnership, int count, List<ApplicationProcess> over) {
        StaffToken token = new StaffToken("rita.requester");
        Registrations registrations = new Registrations(count);
        for (int i = 0; i < count; i++) {
            ApplicationProcess node = over.get(i % over.size());
            Map<String, Object> body = MachineFixtures.registration("SIGNED_JWT", partnerKey, "orders.read");
            body.put("workloadName", "Order sync " + i);
            boolean revoke = i % 3 == 0;
            registrations.answers.add(registrations.pool.submit(() -> {
                HttpResponse<String> response = new PartnerAccessClient(node.port(), keycloakUrl)
                        .postWithToken(token.get(), "/api/partnerships/" + partnership + "/machines", body);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                JsonNode machine = JSON.readTree(response.body());
                String id = machine.get("id").asText();
                registrations.clientIds.put(id, machine.get("clientId").asText());
                if (revoke) {
                    registrations.toRevoke.add(id);
                }
                return null;
            }));
        }
        registrations.pool.shutdown();
        return registrations;
    }

    private static final class Registrations {
        final ExecutorService pool = Executors.newFixedThreadPool(6);
        final List<Future<Void>> answers = new ArrayList<>();
        /** Identity id to client id, as answered. */
        final Map<String, String> clientIds = new ConcurrentHashMap<>();
        final Set<String> toRevoke = ConcurrentHashMap.newKeySet();
        final int count;

        Registrations(int count) {
            this.count = count;
        }

        boolean allAnswered() {
            return pool.isTerminated();
        }

        /** Every registration answered 201 (a failure surfaces here); identity id to client id. */
        Map<String, String> awaitAll() throws Exception {
            for (Future<Void> answer : answers) {
                answer.get(10, TimeUnit.MINUTES);
            }
            assertThat(clientIds).hasSize(count);
            return Map.copyOf(clientIds);
        }
    }

    /** A staff user's token, fetched again before it expires (the staff realm's tokens live five minutes). */
    private final class StaffToken {
        private final String user;
        private String token;
        private long fetchedAt;

        StaffToken(String user) {
            this.user = user;
        }

        synchronized String get() {
            if (token == null || System.nanoTime() - fetchedAt > Duration.ofMinutes(4).toNanos()) {
                token = Tokens.staff(keycloakUrl, user);
                fetchedAt = System.nanoTime();
            }
            return token;
        }
    }

    private record Run(int answeredAtKill, int activeAtKill, int revokedAtKill, int reportedAtKill, int jobsAtKill,
                       Set<String> jobsHeldByKilledNode) {

        int inFlightAtKill() {
            return answeredAtKill - activeAtKill - revokedAtKill;
        }
    }

    /**
     * Reports an incident for each machine to be revoked once its activation notice is out, spread over the nodes;
     * kills {@code victim} once {@code killAfterActive} machines are active while every node holds locked jobs,
     * between two reports (so no report is lost with it). Returns at the kill, or when every registration is answered
     * and every chosen machine reported ({@code reported} collects them across calls).
     */
    private Run revokeWhenActiveAndKill(Cluster cluster, GreenMail mail, Registrations registrations,
                                        Set<String> reported, List<ApplicationProcess> over, ApplicationProcess victim,
                                        int killAfterActive) throws Exception {
        StaffToken token = new StaffToken("sofia.security");
        int next = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        String machinesIn = "select count(*) from partner_identity where kind = 'MACHINE' and state = ?";
        while (!registrations.allAnswered() || !reported.containsAll(registrations.toRevoke) || victim != null) {
            assertThat(System.nanoTime()).as("all revocations reported in time; %d answered, %d active, %d reported",
                    registrations.clientIds.size(), cluster.count(machinesIn, "ACTIVE"), reported.size())
                    .isLessThan(deadline);
            Set<String> subjects = Arrays.stream(mail.getReceivedMessages()).map(ClusterIT::subject)
                    .collect(Collectors.toSet());
            for (String id : new ArrayList<>(registrations.toRevoke)) {
                if (!reported.contains(id)
                        && subjects.contains("Machine " + registrations.clientIds.get(id) + " is active")) {
                    ApplicationProcess node = over.get(next++ % over.size());
                    HttpResponse<String> answer = reportIncident(node, token.get(), id);
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
                    reported.add(id);
                }
            }
            if (victim != null) {
                int answered = registrations.clientIds.size();
                int active = cluster.count(machinesIn, "ACTIVE");
                List<Map<String, Object>> locked = cluster.jdbc.queryForList(
                        "select j.lock_owner_, e.business_key_ from act_ru_job j join act_ru_execution e"
                                + " on j.process_instance_id_ = e.id_ where j.lock_owner_ is not null and j.lock_exp_time_ > ?",
                        Timestamp.from(Instant.now()));
                // every node holds work at the kill, the victim too
                if (active >= killAfterActive
                        && locked.stream().map(job -> job.get("lock_owner_")).distinct().count() >= over.size()) {
                    int revoked = cluster.count(machinesIn, "REVOKED");
                    int queued = cluster.count("select count(*) from act_ru_job where handler_type_ = 'async-continuation'");
                    Instant killedAt = Instant.now();
                    victim.kill();
                    cluster.killedAt = killedAt;
                    Set<String> held = cluster.jobsOfDeadOwners(locked, killedAt);
                    return new Run(answered, active, revoked, reported.size(), queued, held);
                }
            }
            Thread.sleep(250);
        }
        return new Run(registrations.clientIds.size(), 0, 0, reported.size(), 0, Set.of());
    }

    private HttpResponse<String> reportIncident(ApplicationProcess node, String token, String identityId) {
        return new PartnerAccessClient(node.port(), keycloakUrl).postWithToken(token,
                "/api/identities/" + identityId + "/incidents",
                Map.of("reason", "credential published in a public repository", "severity", "HIGH"));
    }

    /** Each machine's client exists once (by the identity attribute); enabled exactly while the machine is not revoked. */
    private void assertKeycloakHoldsEachMachineOnce(String partnership, Map<String, String> clientIds, Set<String> revoked,
                                                    boolean revokedDeleted) {
        Map<String, List<ClientRepresentation>> byIdentity = partnerClients.findClientsOfPartnership(partnership).stream()
                .collect(Collectors.groupingBy(client -> client.getAttributes().get(KeycloakAttributes.IDENTITY)));
        for (Map.Entry<String, String> machine : clientIds.entrySet()) {
            List<ClientRepresentation> clients = byIdentity.getOrDefault(machine.getKey(), List.of());
            boolean isRevoked = revoked.contains(machine.getKey());
            if (isRevoked && revokedDeleted) {
                assertThat(clients).as(machine.getValue()).isEmpty();
            } else {
                assertThat(clients).as(machine.getValue()).hasSize(1);
                assertThat(clients.get(0).getClientId()).isEqualTo(machine.getValue());
                assertThat(clients.get(0).isEnabled()).as(machine.getValue() + " enabled").isEqualTo(!isRevoked);
            }
        }
        assertThat(byIdentity.keySet()).as("no client for anything else").isSubsetOf(clientIds.keySet());
        assertRevokedRefused(clientIds, revoked);
        // a sample of the active ones still gets tokens
        clientIds.entrySet().stream().filter(machine -> !revoked.contains(machine.getKey())).limit(5)
                .forEach(machine -> assertThat(MachineFixtures.tokenWithKey(keycloakUrl, machine.getValue(), partnerKey)
                        .statusCode()).as(machine.getValue()).isEqualTo(200));
    }

    private void assertRevokedRefused(Map<String, String> clientIds, Set<String> revoked) {
        for (String id : revoked) {
            assertThat(MachineFixtures.tokenWithKey(keycloakUrl, clientIds.get(id), partnerKey).statusCode())
                    .as("token for revoked " + clientIds.get(id)).isIn(400, 401);
        }
    }

    /**
     * One activation notice per machine and one revocation notice per revoked one. A job the killed node held may have
     * sent its mail and died before committing; the survivor then sends it again (at least once), so those may show two.
     */
    private void assertMails(GreenMail mail, Map<String, String> clientIds, Set<String> revoked,
                             Set<String> heldByKilledNode, boolean expectActiveNotice) throws MessagingException {
        for (Map.Entry<String, String> machine : clientIds.entrySet()) {
            long most = heldByKilledNode.contains(machine.getKey()) ? 2 : 1;
            long active = count(mail, machine.getValue() + " is active");
            long revokedNotices = count(mail, machine.getValue() + " is revoked");
            assertThat(active).as(machine.getValue() + " activation notices").isBetween(expectActiveNotice ? 1L : 0L, most);
            if (revoked.contains(machine.getKey())) {
                assertThat(revokedNotices).as(machine.getValue() + " revocation notices").isBetween(1L, most);
            } else {
                assertThat(revokedNotices).as(machine.getValue() + " revocation notices").isZero();
            }
        }
    }

    private static long count(GreenMail mail, String subjectContains) {
        return Arrays.stream(mail.getReceivedMessages()).filter(message -> subject(message).contains(subjectContains)
                && recipients(message).contains(OWNER_MAIL)).count();
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> recipients(MimeMessage message) {
        try {
            return Arrays.stream(message.getAllRecipients()).map(Object::toString).toList();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private GreenMail startMail(int port) {
        GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        mailServers.add(mail);
        return mail;
    }

    /** One database, the nodes on it, and what the test reads from it directly. */
    private final class Cluster {

        final String databaseUrl;
        final JdbcTemplate jdbc;
        final String retention;
        Instant killedAt;

        Cluster(String name, String retention) throws Exception {
            this.databaseUrl = createDatabase("partner_access_" + name + "_" + ProcessHandle.current().pid());
            this.jdbc = new JdbcTemplate(new DriverManagerDataSource(databaseUrl, USER, PASSWORD));
            this.retention = retention;
        }

        ApplicationProcess startNode(String name, GreenMail mail) throws InterruptedException {
            return startNode(name, mail.getSmtp().getPort());
        }

        ApplicationProcess startNode(String name, int smtpPort) throws InterruptedException {
            return startNode(name, smtpPort, 0);
        }

        /** A node on this database; {@code jobThreads} above 0 limits its job executor's pool to that many threads. */
        ApplicationProcess startNode(String name, int smtpPort, int jobThreads) throws InterruptedException {
            Map<String, String> env = ApplicationProcess.nodeEnvironment(databaseUrl, USER, PASSWORD, keycloakUrl, smtpPort);
            env.put("MACHINE_RETENTION", retention);
            env.put("USAGE_REFRESH", "1h");
            env.put("CAMUNDA_BPM_JOBEXECUTION_LOCKTIMEINMILLIS", String.valueOf(LOCK_TIME.toMillis()));
            env.put("CAMUNDA_BPM_JOBEXECUTION_WAITTIMEINMILLIS", "200");
            env.put("CAMUNDA_BPM_JOBEXECUTION_MAXWAIT", "1000");
            if (jobThreads > 0) {
                env.put("CAMUNDA_BPM_JOBEXECUTION_COREPOOLSIZE", String.valueOf(jobThreads));
                env.put("CAMUNDA_BPM_JOBEXECUTION_MAXPOOLSIZE", String.valueOf(jobThreads));
                // few jobs locked ahead of the threads, so none waits in the queue until its lock runs out
                env.put("CAMUNDA_BPM_JOBEXECUTION_MAXJOBSPERACQUISITION", "1");
                env.put("CAMUNDA_BPM_JOBEXECUTION_QUEUECAPACITY", "1");
            }
            ApplicationProcess node = ApplicationProcess.start(name, env);
            nodes.add(node);
            node.awaitOk("/actuator/health/readiness", Duration.ofMinutes(5));
            return node;
        }

        /** A partnership requested and approved through the node's API, ACTIVE. */
        String activePartnership(ApplicationProcess node) throws Exception {
            return MachineFixtures.activePartnership(node, jdbc, keycloakUrl, "cl");
        }

        int count(String sql, Object... args) {
            Integer count = jdbc.queryForObject(sql, Integer.class, args);
            return count == null ? 0 : count;
        }

        /**
         * The business keys of the jobs locked at the kill by owners that lock nothing after it: an owner seen with a
         * lock taken after the kill is a survivor.
         */
        Set<String> jobsOfDeadOwners(List<Map<String, Object>> lockedAtKill, Instant killedAt) throws InterruptedException {
            Set<String> survivors = new HashSet<>();
            long until = System.nanoTime() + LOCK_TIME.toNanos() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < until) {
                survivors.addAll(jdbc.queryForList("select distinct lock_owner_ from act_ru_job where lock_owner_ is not"
                        + " null and lock_exp_time_ > ?", String.class, Timestamp.from(killedAt.plus(LOCK_TIME))));
                Thread.sleep(200);
            }
            Set<String> held = new HashSet<>();
            for (Map<String, Object> job : lockedAtKill) {
                if (!survivors.contains(String.valueOf(job.get("lock_owner_")))) {
                    held.add(String.valueOf(job.get("business_key_")));
                }
            }
            return held;
        }

        void awaitStates(Map<String, String> clientIds, Set<String> revoked) {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                Map<String, String> states = states(clientIds.keySet());
                return clientIds.keySet().stream().allMatch(id -> (revoked.contains(id) ? "REVOKED" : "ACTIVE")
                        .equals(states.get(id)));
            });
        }

        Map<String, String> states(Set<String> ids) {
            return jdbc.queryForList("select identity_id, state from partner_identity").stream()
                    .filter(row -> ids.contains(String.valueOf(row.get("identity_id"))))
                    .collect(Collectors.toMap(row -> String.valueOf(row.get("identity_id")), row -> String.valueOf(row.get("state"))));
        }

        /**
         * Waits until every machine rests where it should (active ones in their active period, revoked ones in the
         * retention wait or ended) with no step left to run and no incident; the time since the kill.
         */
        Duration awaitAllSettled(Map<String, String> clientIds, Set<String> revoked, boolean revokedEnd) {
            awaitStates(clientIds, revoked);
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> count(
                    "select count(*) from act_ru_job where handler_type_ = 'async-continuation'") == 0
                    && restingAt(ProcessIds.TIMER_USE_CHECK_DUE) == clientIds.size() - revoked.size()
                    && (revokedEnd ? ended() == revoked.size()
                    : restingAt(ProcessIds.GATEWAY_AWAIT_RETENTION) == revoked.size()));
            Duration sinceKill = Duration.between(killedAt, Instant.now());
            assertThat(count("select count(*) from act_ru_incident")).as("incidents").isZero();
            assertThat(count("select count(*) from act_hi_procinst where proc_def_key_ = ?", ProcessIds.MACHINE_ACCESS_PROCESS))
                    .as("one process instance per machine").isEqualTo(clientIds.size());
            Map<String, String> states = states(clientIds.keySet());
            assertThat(states).hasSize(clientIds.size());
            return sinceKill;
        }

        private int restingAt(String activityId) {
            return count("select count(*) from act_ru_execution where act_id_ = ?", activityId);
        }

        private int ended() {
            return count("select count(*) from act_hi_procinst where proc_def_key_ = ? and end_act_id_ = ?",
                    ProcessIds.MACHINE_ACCESS_PROCESS, "EndEvent_MachineAccessRevoked");
        }

        boolean auditChainIntact(ApplicationProcess node) throws Exception {
            HttpResponse<String> verification = new PartnerAccessClient(node.port(), keycloakUrl)
                    .get("sofia.security", "/api/audit/verification");
            assertThat(verification.statusCode()).as(verification.body()).isEqualTo(200);
            return JSON.readTree(verification.body()).get("intact").asBoolean();
        }
    }
}
