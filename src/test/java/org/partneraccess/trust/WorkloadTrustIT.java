package org.partneraccess.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.partneraccess.machine.MachineFixtures.registration;
import static org.partneraccess.machine.MachineFixtures.tokenWithWorkloadJwt;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.IdentityProviderRepresentation;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.audit.AuditEvent;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.partneraccess.keycloak.KeycloakAttributes;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.KeycloakProperties;
import org.partneraccess.keycloak.PartnerIdentityProviders;
import org.partneraccess.keycloak.TokenProbe;
import org.partneraccess.revocation.RevocationVerification;
import org.partneraccess.support.EngineDoors;
import org.partneraccess.support.EngineDoors.Via;
import org.partneraccess.support.ItFixtures;
import org.partneraccess.support.KeycloakAdmin;
import org.partneraccess.support.Mailbox;
import org.partneraccess.support.PartnerAccessClient;
import org.partneraccess.support.PartnerAccessTest;
import org.partneraccess.support.StaffBrowser;
import org.partneraccess.support.Tokens;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A partnership's workload trust against the real Keycloak, with a Kubernetes service-account issuer emulated on the
 * loopback interface: requested through the API (bad requests refused naming the field, nothing created), approved by
 * a security officer only (the requester, though a security officer too, is refused at every door and nothing
 * changes), then an identity provider of the partner realm; a machine registered as FEDERATED, naming only its
 * workload subject, gets a token with the pod's projected service-account token and nothing else does; suspension
 * disables the provider and the client, resumption restores both.
 */
@PartnerAccessTest
class WorkloadTrustIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBJECT = "system:serviceaccount:orders:sync";

    @Autowired
    ItFixtures fixtures;
    @Autowired
    TaskService tasks;
    @Autowired
    IdentityService identity;
    @Autowired
    WorkloadTrusts trusts;
    @Autowired
    PartnerIdentityProviders providers;
    @Autowired
    PartnerClients partnerClients;
    @Autowired
    KeycloakProperties properties;
    @Autowired
    PartnerIdentityRepository identities;
    @Autowired
    AuditLog audit;
    @Autowired
    TokenProbe probe;
    @Autowired
    Keycloak admin;
    @Autowired
    RevocationVerification verification;

    @Test
    void theRequesterCannotApproveTheirOwnTrustThroughAnyDoorAndASecurityOfficerCan() throws Exception {
        try (KubernetesIssuer cluster = KubernetesIssuer.start()) {
            String key = fixtures.activePartnership();
            // a requester who is a security officer too: the candidate group holds, the segregation rule must not
            String requester = KeycloakAdmin.createStaffUser("trust-requester", "/requesters", "/security-officers");
            PartnerAccessClient client = fixtures.client();
            HttpResponse<String> requested = client.post(requester, trustPath(key), kubernetes(cluster));
            assertThat(requested.statusCode()).as(requested.body()).isEqualTo(201);
            JsonNode view = JSON.readTree(requested.body());
            String trustId = view.get("trustId").asText();
            assertThat(view.get("state").asText()).isEqualTo("REQUESTED");
            assertThat(view.get("identityProvider").asText()).isEqualTo("pa-t-" + key);
            await().atMost(Duration.ofSeconds(30)).until(() -> task(trustId) != null);
            Task approval = task(trustId);
            List<String> trailBefore = trail(key);
            List<String> mailBefore = Mailbox.naming(key, trustId);

            EngineDoors doors = fixtures.doors();
            for (Via via : Via.values()) {
                HttpResponse<String> completed = doors.call(via, requester, "POST", "/task/" + approval.getId()
                        + (via == Via.TASKLIST_SESSION ? "/submit-form" : "/complete"),
                        Map.of("variables", Map.of("securityOfficerApproved", Map.of("value", true))));
                assertThat(completed.statusCode()).as(via + ": " + completed.body()).isEqualTo(403);
            }
            // through the API the requester can neither replace the pending request nor ask for a second trust
            HttpResponse<String> again = client.post(requester, trustPath(key), kubernetes(cluster));
            assertThat(again.statusCode()).as(again.body()).isEqualTo(400);
            assertThat(again.body()).contains("partnershipKey", "one per partnership");

            assertThat(task(trustId)).as("the approval is still open").isNotNull();
            assertThat(trusts.get(trustId).getState()).isEqualTo(LifecycleState.REQUESTED);
            assertThat(trusts.get(trustId).getApprovedBy()).isNull();
            assertThat(providers.find(PartnerIdentityProviders.alias(key))).as("no identity provider").isEmpty();
            assertThat(trail(key)).as("audit trail").isEqualTo(trailBefore);
            assertThat(audit.verify().intact()).as("audit chain").isTrue();
            assertThat(Mailbox.naming(key, trustId)).as("mails").isEqualTo(mailBefore);

            HttpResponse<String> approved = doors.call(Via.ENGINE_REST, "sofia.security", "POST",
                    "/task/" + approval.getId() + "/complete",
                    Map.of("variables", Map.of("securityOfficerApproved", Map.of("value", true))));
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(60)).until(() -> trusts.get(trustId).getState() == LifecycleState.ACTIVE);
            assertThat(trusts.get(trustId).getApprovedBy()).isEqualTo("sofia.security");
            IdentityProviderRepresentation provider = providers.find(PartnerIdentityProviders.alias(key)).orElseThrow();
            assertThat(provider.getProviderId()).isEqualTo("kubernetes");
            assertThat(provider.isEnabled()).isTrue();
            assertThat(provider.isHideOnLogin()).as("no login page shows it").isTrue();
            assertThat(provider.getConfig()).containsEntry("issuer", cluster.issuer())
                    .containsEntry(KeycloakAttributes.PARTNERSHIP, key).containsEntry(KeycloakAttributes.IDENTITY, trustId);
            assertThat(trail(key)).contains("WORKLOAD_TRUST_APPROVED by sofia.security");

            HttpResponse<String> read = client.get("alice.auditor", trustPath(key));
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(JSON.readTree(read.body()).get("approvedBy").asText()).isEqualTo("sofia.security");
        }
    }

    @Test
    void badTrustRequestsAreRefusedNamingTheFieldAndCreateNothing() throws Exception {
        String key = fixtures.activePartnership();
        PartnerAccessClient client = fixtures.client();
        Map<String, Map<String, Object>> bad = new LinkedHashMap<>();
        bad.put("kind", Map.of("kind", "SPIFFE", "issuer", "https://k8s.partner.example.org"));
        bad.put("kind ", Map.of("kind", "LDAP", "issuer", "https://k8s.partner.example.org"));
        bad.put("issuer", Map.of("kind", "KUBERNETES", "issuer", "https://169.254.169.254/latest"));
        bad.put("issuer ", Map.of("kind", "KUBERNETES", "issuer", "https://10.0.0.8"));
        bad.put("issuer  ", Map.of("kind", "KUBERNETES", "issuer", "http://k8s.partner.example.org"));
        bad.put("issuer   ", Map.of("kind", "KUBERNETES"));
        bad.put("jwksUrl", Map.of("kind", "KUBERNETES", "issuer", "https://k8s.partner.example.org",
                "jwksUrl", "https://k8s.partner.example.org/keys"));
        bad.put("jwksUrl  ", Map.of("kind", "OIDC", "issuer", "https://id.partner.example.org",
                "jwksUrl", "https://192.168.1.5/keys"));
        for (Map.Entry<String, Map<String, Object>> request : bad.entrySet()) {
            HttpResponse<String> answer = client.post("rita.requester", trustPath(key), request.getValue());
            assertThat(answer.statusCode()).as(request.getKey() + ": " + answer.body()).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/problem+json"));
            assertThat(JSON.readTree(answer.body()).path("errors").has(request.getKey().trim()))
                    .as(request.getKey() + ": " + answer.body()).isTrue();
        }
        // only requesters ask; a partnership that does not exist is not found
        assertThat(client.post("sofia.security", trustPath(key), Map.of("kind", "KUBERNETES",
                "issuer", "https://k8s.partner.example.org")).statusCode()).isEqualTo(403);
        assertThat(client.post("rita.requester", trustPath("no-such-partnership"), Map.of("kind", "KUBERNETES",
                "issuer", "https://k8s.partner.example.org")).statusCode()).isEqualTo(404);

        // SPIFFE is off here (as by default), and the managed Keycloak runs without the preview feature: the
        // provisioner, asking with its own credential, finds Keycloak's SPIFFE provider type absent and the others there
        assertThat(providers.offers(PartnerIdentityProviders.Kind.SPIFFE)).isFalse();
        assertThat(providers.offers(PartnerIdentityProviders.Kind.KUBERNETES)).isTrue();
        assertThat(providers.offers(PartnerIdentityProviders.Kind.OIDC)).isTrue();

        assertThat(trusts.openFor(key)).as("no trust stored").isEmpty();
        assertThat(tasks.createTaskQuery().processDefinitionKey(ProcessIds.WORKLOAD_TRUST_PROCESS)
                .processVariableValueEquals("partnershipKey", key).count()).as("no process").isZero();
        assertThat(providers.find(PartnerIdentityProviders.alias(key))).isEmpty();
        assertThat(client.get("alice.auditor", trustPath(key)).statusCode()).isEqualTo(404);
    }

    @Test
    void aFederatedMachineGetsATokenWithItsPodsTokenAndNothingElseDoes() throws Exception {
        try (KubernetesIssuer cluster = KubernetesIssuer.start(); KubernetesIssuer otherCluster = KubernetesIssuer.start()) {
            PartnerAccessClient client = fixtures.client();
            String untrusted = fixtures.activePartnership();
            int rowsBefore = identities.findByPartnershipKeyOrderById(untrusted).size();
            HttpResponse<String> refused = client.post("rita.requester", machinesPath(untrusted), federated());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(JSON.readTree(refused.body()).path("errors").has("authMethod")).as(refused.body()).isTrue();
            assertThat(identities.findByPartnershipKeyOrderById(untrusted)).as("nothing created").hasSize(rowsBefore);

            String key = approvedTrust(cluster);
            // with the partner's workloads able to federate, a shared secret is no longer allowed
            HttpResponse<String> secret = client.post("rita.requester", machinesPath(key),
                    registration("CLIENT_SECRET", null));
            assertThat(secret.statusCode()).as(secret.body()).isEqualTo(400);
            assertThat(JSON.readTree(secret.body()).path("errors").path("authMethod").asText()).contains("FEDERATED");
            Map<String, Object> withKeys = federated();
            withKeys.put("jwksUrl", "https://partner.example.org/jwks.json");
            assertThat(client.post("rita.requester", machinesPath(key), withKeys).statusCode()).isEqualTo(400);

            HttpResponse<String> registered = client.post("rita.requester", machinesPath(key), federated());
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
            String id = JSON.readTree(registered.body()).get("id").asText();
            String clientId = JSON.readTree(registered.body()).get("clientId").asText();
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    identities.findById(id).orElseThrow().getState() == LifecycleState.ACTIVE);
            HttpResponse<String> twice = client.post("rita.requester", machinesPath(key), federated());
            assertThat(JSON.readTree(twice.body()).path("errors").has("workloadSubject")).as(twice.body()).isTrue();

            ClientRepresentation kc = partnerClients.findClient(clientId).orElseThrow();
            assertThat(kc.getClientAuthenticatorType()).isEqualTo("federated-jwt");
            assertThat(kc.getAttributes()).containsEntry("jwt.credential.issuer", "pa-t-" + key)
                    .containsEntry("jwt.credential.sub", SUBJECT).containsEntry(KeycloakAttributes.IDENTITY, id);

            String audience = properties.partnerRealmUrl();
            HttpResponse<String> token = tokenWithWorkloadJwt(fixtures.keycloakUrl(),
                    cluster.serviceAccountToken("orders", "sync", audience));
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            String accessToken = JSON.readTree(token.body()).get("access_token").asText();
            assertThat(probe.active(accessToken)).isTrue();
            assertThat(claims(accessToken).get("azp").asText()).isEqualTo(clientId);

            Map<String, String> refusedJwts = new LinkedHashMap<>();
            refusedJwts.put("another subject of the same cluster", cluster.serviceAccountToken("orders", "admin", audience));
            refusedJwts.put("another namespace", cluster.serviceAccountToken("kube-system", "sync", audience));
            refusedJwts.put("another issuer, same subject", otherCluster.serviceAccountToken("orders", "sync", audience));
            refusedJwts.put("our issuer named, another cluster's key", otherCluster.token(cluster.issuer(), SUBJECT, audience));
            refusedJwts.put("another audience", cluster.serviceAccountToken("orders", "sync", "https://api.partner.example.org"));
            refusedJwts.forEach((what, jwt) -> {
                HttpResponse<String> answer = tokenWithWorkloadJwt(fixtures.keycloakUrl(), jwt);
                assertThat(answer.statusCode()).as(what + ": " + answer.body()).isIn(400, 401);
                assertThat(answer.body()).as(what).doesNotContain("access_token");
            });

            // the partnership's page shows the trust and its federated machine to those who may read the partnership
            for (String reader : List.of("alice.auditor", "sofia.security")) {
                StaffBrowser browser = new StaffBrowser(fixtures.port());
                browser.signIn("/dashboard", reader, Tokens.DEMO_PASSWORD);
                HttpResponse<String> page = browser.open("/dashboard/partnerships/" + key);
                assertThat(page.statusCode()).as(reader).isEqualTo(200);
                String trustSection = section(page.body(), "workload-trust");
                assertThat(trustSection).as(reader).contains("<td id=\"trust-kind\">KUBERNETES</td>",
                        "<td id=\"trust-issuer\">" + cluster.issuer() + "</td>", "<td id=\"trust-state\">ACTIVE</td>",
                        "rita.requester / sofia.security at ");
                assertThat(trustSection).contains("data-id=\"" + id + "\"", clientId, SUBJECT);
            }
            // and nothing of it to a staff member who may not: a requester, a process owner
            for (String other : List.of("rita.requester", "paul.process")) {
                StaffBrowser browser = new StaffBrowser(fixtures.port());
                browser.signIn("/dashboard", other, Tokens.DEMO_PASSWORD);
                HttpResponse<String> page = browser.open("/dashboard/partnerships/" + key);
                assertThat(page.statusCode()).as(other).isEqualTo(403);
                assertThat(page.body()).as(other).doesNotContain(cluster.issuer()).doesNotContain(SUBJECT);
            }

            // suspension: the provider first, then the client; resumption restores both
            assertThat(client.post("sofia.security", "/api/partnerships/" + key + "/suspension",
                    Map.of("reason", "contract under review")).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    identities.findById(id).orElseThrow().getState() == LifecycleState.SUSPENDED);
            assertThat(providers.find(PartnerIdentityProviders.alias(key)).orElseThrow().isEnabled()).isFalse();
            assertThat(partnerClients.findClient(clientId).orElseThrow().isEnabled()).isFalse();
            assertThat(trusts.activeFor(key)).isEmpty();
            assertThat(tokenWithWorkloadJwt(fixtures.keycloakUrl(), cluster.serviceAccountToken("orders", "sync", audience))
                    .statusCode()).as("suspended").isIn(400, 401);

            assertThat(client.post("sofia.security", "/api/partnerships/" + key + "/resumption",
                    Map.of("reason", "contract renewed")).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    identities.findById(id).orElseThrow().getState() == LifecycleState.ACTIVE);
            assertThat(providers.find(PartnerIdentityProviders.alias(key)).orElseThrow().isEnabled()).isTrue();
            assertThat(trusts.activeFor(key)).isPresent();
            HttpResponse<String> resumed = tokenWithWorkloadJwt(fixtures.keycloakUrl(),
                    cluster.serviceAccountToken("orders", "sync", audience));
            assertThat(resumed.statusCode()).as("resumed: " + resumed.body()).isEqualTo(200);
        }
    }

    @Test
    void anOidcIssuerWithItsJwksUrlVouchesForItsWorkloadsToo() throws Exception {
        try (KubernetesIssuer ci = KubernetesIssuer.start()) {
            // any OpenID Connect issuer of the partner (a CI system's, say), its keys at the URL registered with it
            String key = fixtures.activePartnership();
            PartnerAccessClient client = fixtures.client();
            HttpResponse<String> requested = client.post("rita.requester", trustPath(key),
                    Map.of("kind", "OIDC", "issuer", ci.issuer(), "jwksUrl", ci.jwksUrl()));
            assertThat(requested.statusCode()).as(requested.body()).isEqualTo(201);
            String trustId = JSON.readTree(requested.body()).get("trustId").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> task(trustId) != null);
            HttpResponse<String> approved = fixtures.doors().call(Via.ENGINE_REST, "sofia.security", "POST",
                    "/task/" + task(trustId).getId() + "/complete",
                    Map.of("variables", Map.of("securityOfficerApproved", Map.of("value", true))));
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(60)).until(() -> trusts.get(trustId).getState() == LifecycleState.ACTIVE);
            IdentityProviderRepresentation provider = providers.find(PartnerIdentityProviders.alias(key)).orElseThrow();
            assertThat(provider.getProviderId()).isEqualTo("oidc");
            assertThat(provider.getConfig()).containsEntry("jwksUrl", ci.jwksUrl()).containsEntry("issuer", ci.issuer());

            String subject = "repo:acme/orders:ref:refs/heads/main";
            activeFederatedMachine(client, key, subject);
            String audience = properties.partnerRealmUrl();
            HttpResponse<String> token = tokenWithWorkloadJwt(fixtures.keycloakUrl(), ci.token(ci.issuer(), subject, audience));
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            HttpResponse<String> other = tokenWithWorkloadJwt(fixtures.keycloakUrl(),
                    ci.token(ci.issuer(), "repo:acme/orders:ref:refs/heads/attacker", audience));
            assertThat(other.statusCode()).as(other.body()).isIn(400, 401);
        }
    }

    @Test
    void anOidcIssuerRegisteredByItsIssuerAloneIsTrustedWithTheKeysItsDiscoveryDocumentNames() throws Exception {
        try (KubernetesIssuer ci = KubernetesIssuer.start()) {
            // only the issuer: its JWKS URL is read from its discovery document when the security officer approves
            String key = fixtures.activePartnership();
            PartnerAccessClient client = fixtures.client();
            HttpResponse<String> requested = client.post("rita.requester", trustPath(key),
                    Map.of("kind", "OIDC", "issuer", ci.issuer()));
            assertThat(requested.statusCode()).as(requested.body()).isEqualTo(201);
            String trustId = JSON.readTree(requested.body()).get("trustId").asText();
            assertThat(trusts.get(trustId).getJwksUrl()).as("nothing read before the approval").isNull();
            await().atMost(Duration.ofSeconds(30)).until(() -> task(trustId) != null);

            // the requester's receipt: the partnership, the issuer and its kind, who decides, and where to follow it
            String title = "Workload trust of partnership " + key + ": OIDC issuer " + ci.issuer();
            MimeMessage receipt = await().atMost(Duration.ofSeconds(30))
                    .until(() -> Mailbox.newest("rita.requester@example.com", title), Objects::nonNull);
            assertThat(receipt.getSubject()).isEqualTo("Your request is recorded: " + title);
            String link = "http://localhost:" + fixtures.port() + "/dashboard/requests/" + trustId;
            assertThat(Mailbox.text(receipt)).contains(title + " (Workload trust)", "State: REQUESTED",
                    "Approve workload trust (group security-officers)", link);
            assertThat(Mailbox.naming(trustId)).containsExactly("[rita.requester@example.com]: " + receipt.getSubject());
            // the link opens her request once she signs in; for anyone else it is no request of theirs
            HttpResponse<String> page = new StaffBrowser(fixtures.port())
                    .signIn("/dashboard/requests/" + trustId, "rita.requester", Tokens.DEMO_PASSWORD);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            assertThat(page.body()).contains(key).contains("Approve workload trust");
            StaffBrowser other = new StaffBrowser(fixtures.port());
            other.signIn("/dashboard", "sam.sponsor", Tokens.DEMO_PASSWORD);
            assertThat(other.open("/dashboard/requests/" + trustId).statusCode()).isEqualTo(404);

            HttpResponse<String> approved = fixtures.doors().call(Via.ENGINE_REST, "sofia.security", "POST",
                    "/task/" + task(trustId).getId() + "/complete",
                    Map.of("variables", Map.of("securityOfficerApproved", Map.of("value", true))));
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(60)).until(() -> trusts.get(trustId).getState() == LifecycleState.ACTIVE);

            assertThat(trusts.get(trustId).getJwksUrl()).isEqualTo(ci.jwksUrl());
            IdentityProviderRepresentation provider = providers.find(PartnerIdentityProviders.alias(key)).orElseThrow();
            assertThat(provider.getProviderId()).isEqualTo("oidc");
            assertThat(provider.getConfig()).containsEntry("jwksUrl", ci.jwksUrl()).containsEntry("issuer", ci.issuer())
                    .containsEntry("useJwksUrl", "true");
            assertThat(audit.ofPartnership(key)).filteredOn(event -> event.getAction().equals("WORKLOAD_TRUST_APPROVED"))
                    .extracting(AuditEvent::getDetail).singleElement().asString().contains("jwksUrl=" + ci.jwksUrl());

            String subject = "repo:acme/billing:ref:refs/heads/main";
            activeFederatedMachine(client, key, subject);
            String audience = properties.partnerRealmUrl();
            HttpResponse<String> token = tokenWithWorkloadJwt(fixtures.keycloakUrl(), ci.token(ci.issuer(), subject, audience));
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        }
    }

    @Test
    void driftFindsAProviderGivenAnotherIssuerAndDisablesOneEnabledWhileItsTrustIsSuspended() throws Exception {
        try (KubernetesIssuer cluster = KubernetesIssuer.start()) {
            String key = approvedTrust(cluster);
            String trustId = trusts.activeFor(key).orElseThrow().getId();
            String alias = PartnerIdentityProviders.alias(key);
            PartnerAccessClient client = fixtures.client();
            // someone holding the provisioner's rights points the partner's provider at an issuer of their own
            IdentityProviderRepresentation changed = admin.realm(properties.partnerRealm()).identityProviders().get(alias)
                    .toRepresentation();
            changed.getConfig().put("issuer", "https://attacker.example.org");
            admin.realm(properties.partnerRealm()).identityProviders().get(alias).update(changed);

            List<JsonNode> found = findingsOn(client.post("sofia.security", "/api/drift/reconciliations", Map.of()), alias);
            assertThat(found).hasSize(1);
            assertThat(found.get(0).get("kind").asText()).isEqualTo("CLIENT_CONFIG");
            assertThat(found.get(0).get("identityId").asText()).isEqualTo(trustId);
            assertThat(found.get(0).get("excess").toString()).contains("issuer");
            assertThat(found.get(0).get("action").asText()).as("for the security officers").contains("review");

            // the partnership is suspended; the provider is switched on again behind the registry's back
            assertThat(client.post("sofia.security", "/api/partnerships/" + key + "/suspension",
                    Map.of("reason", "contract under review")).statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).until(() -> trusts.get(trustId).getState() == LifecycleState.SUSPENDED);
            IdentityProviderRepresentation enabled = admin.realm(properties.partnerRealm()).identityProviders().get(alias)
                    .toRepresentation();
            enabled.getConfig().put("issuer", cluster.issuer());
            enabled.setEnabled(true);
            admin.realm(properties.partnerRealm()).identityProviders().get(alias).update(enabled);
            // the registry's row must have settled (its change is older than the settle time) before drift judges it
            Thread.sleep(1_000);

            found = findingsOn(client.post("sofia.security", "/api/drift/reconciliations", Map.of()), alias);
            assertThat(found).extracting(finding -> finding.get("kind").asText()).contains("REVOKED_BUT_ACTIVE");
            assertThat(providers.find(alias).orElseThrow().isEnabled()).as("disabled again at once").isFalse();
            assertThat(tokenWithWorkloadJwt(fixtures.keycloakUrl(), cluster.serviceAccountToken("orders", "sync",
                    properties.partnerRealmUrl())).statusCode()).isIn(400, 401);
        }
    }

    /**
     * An incident's verification reads the partnership's identity provider in Keycloak: disabled after the cut-off, and
     * named; switched on again through the master administrator right after it, a verification run again fails naming
     * it, as it would for an enabled client (the engine keeps retrying it and Cockpit shows it).
     */
    @Test
    void anIncidentsVerificationNamesTheProviderDisabledAndFailsOnceItIsSwitchedOnAgain() throws Exception {
        try (KubernetesIssuer cluster = KubernetesIssuer.start()) {
            String key = approvedTrust(cluster);
            String trustId = trusts.activeFor(key).orElseThrow().getId();
            String alias = PartnerIdentityProviders.alias(key);
            PartnerAccessClient client = fixtures.client();
            Instant reportedAt = Instant.now();
            HttpResponse<String> reported = client.post("sofia.security", "/api/partnerships/" + key + "/incidents",
                    Map.of("reason", "the partner's cluster was compromised", "severity", "CRITICAL"));
            assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(90)).until(() -> lastIncidentVerification(client, key) != null);

            String result = lastIncidentVerification(client, key).get("result").asText();
            assertThat(result).startsWith("verified: users=").contains("; reported to verified=")
                    .endsWith("; identity provider=" + alias + " (disabled)");
            assertThat(providers.find(alias).orElseThrow().isEnabled()).isFalse();
            HttpResponse<String> receipt = client.get("alice.auditor", "/api/partnerships/" + key + "/receipts/incident");
            assertThat(receipt.statusCode()).as(receipt.body()).isEqualTo(200);
            JsonNode trustLine = JSON.readTree(receipt.body()).at("/receipt/workloadTrust/0");
            assertThat(trustLine.get("id").asText()).isEqualTo(trustId);
            assertThat(trustLine.get("action").asText()).isEqualTo("WORKLOAD_TRUST_REVOKED");
            assertThat(trustLine.get("proof").asText()).endsWith("identity provider " + alias + " disabled");
            assertThat(JSON.readTree(receipt.body()).at("/receipt/verification/result").asText()).isEqualTo(result);

            // someone with Keycloak's master administrator switches the provider on again behind the cut-off
            IdentityProviderRepresentation provider = KeycloakAdmin.realm(properties.partnerRealm()).identityProviders()
                    .get(alias).toRepresentation();
            provider.setEnabled(true);
            KeycloakAdmin.realm(properties.partnerRealm()).identityProviders().get(alias).update(provider);

            assertThatThrownBy(() -> verification.verify(key, reportedAt, Instant.now()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("NOT verified: users=")
                    .hasMessageContaining("(enabled 0); registry open=0")
                    .hasMessageEndingWith("; identity provider=" + alias + " (enabled)");
        }
    }

    /** A section of a page, from its id to its end. */
    private static String section(String page, String id) {
        int start = page.indexOf("<section id=\"" + id + "\"");
        assertThat(start).as("section " + id).isNotNegative();
        return page.substring(start, page.indexOf("</section>", start));
    }

    /** An ACTIVE partnership whose cluster's issuer a security officer approved. */
    String approvedTrust(KubernetesIssuer cluster) {
        return WorkloadTrustFixtures.approvedTrust(fixtures, trusts, tasks, identity, cluster);
    }

    private static Map<String, Object> federated() {
        Map<String, Object> body = registration("FEDERATED", null);
        body.put("workloadSubject", SUBJECT);
        return body;
    }

    private static Map<String, Object> kubernetes(KubernetesIssuer cluster) {
        return Map.of("kind", "KUBERNETES", "issuer", cluster.issuer());
    }

    private Task task(String trustId) {
        return tasks.createTaskQuery().processInstanceBusinessKey(trustId)
                .taskDefinitionKey(ProcessIds.TASK_APPROVE_WORKLOAD_TRUST).singleResult();
    }

    private static JsonNode lastIncidentVerification(PartnerAccessClient client, String key) throws Exception {
        JsonNode found = JSON.readTree(client.get("alice.auditor", "/api/partnerships/" + key).body())
                .get("lastIncidentVerification");
        return found == null || found.isNull() ? null : found;
    }

    private List<String> trail(String key) {
        return audit.ofPartnership(key).stream().map(event -> event.getAction() + " by " + event.getActor()).toList();
    }

    /** The findings of a reconciliation's answer on the Keycloak object of this name. */
    private static List<JsonNode> findingsOn(HttpResponse<String> run, String name) throws Exception {
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        List<JsonNode> found = new java.util.ArrayList<>();
        JSON.readTree(run.body()).path("findings").forEach(finding -> {
            if (name.equals(finding.path("object").path("name").asText())) {
                found.add(finding);
            }
        });
        return found;
    }

    /** A federated machine with this workload subject registered through the API, once its row is ACTIVE. */
    private void activeFederatedMachine(PartnerAccessClient client, String key, String subject) throws Exception {
        Map<String, Object> body = registration("FEDERATED", null);
        body.put("workloadSubject", subject);
        HttpResponse<String> registered = client.post("rita.requester", machinesPath(key), body);
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        String id = JSON.readTree(registered.body()).get("id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                identities.findById(id).orElseThrow().getState() == LifecycleState.ACTIVE);
    }

    private static String trustPath(String key) {
        return "/api/partnerships/" + key + "/workload-trust";
    }

    private static String machinesPath(String key) {
        return "/api/partnerships/" + key + "/machines";
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
