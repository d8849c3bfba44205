package org.partneraccess.drill;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.partneraccess.Drills;
import org.partneraccess.LifecycleState;
import org.partneraccess.audit.ActorKind;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.GovernanceAction;
import org.partneraccess.audit.IdentityAction;
import org.partneraccess.inventory.IdentityAccess;
import org.partneraccess.inventory.IdentityAccesses;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.inventory.IdentityStates;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.keycloak.KeycloakProperties;
import org.partneraccess.keycloak.PartnerClients;
import org.partneraccess.keycloak.PartnerIdentityProviders;
import org.partneraccess.keycloak.PartnerUsers;
import org.partneraccess.keycloak.TokenProbe;
import org.partneraccess.partnership.Partnership;
import org.partneraccess.partnership.Partnerships;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.revocation.IncidentReports;
import org.partneraccess.revocation.IncidentRequest;
import org.partneraccess.revocation.RevocationVerification;
import org.partneraccess.revocation.UnrevokedAccessAlarm;
import org.partneraccess.trust.WorkloadTrusts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The revocation drill: a synthetic partnership with one person and one machine per way a machine authenticates
 * (a shared secret; signed JWTs from inline keys; federated, with a workload token of the partnership's trusted
 * issuer) is provisioned, each holding a real token; an incident is reported on
 * it through the incident report service, as the system; and the time from the report to the moment the verification
 * holds is measured: Keycloak's state read back ({@link RevocationVerification}), every earlier token inactive by
 * introspection, every credential refused. The synthetic partnership has no process instance, so the report cuts it off
 * itself through the same cut-off the partnership process's job runs; nobody is mailed. Afterwards its Keycloak objects
 * are deleted; its registry rows stay, revoked, for the audit trail's entries. A drill whose verification does not hold
 * alerts the security officers as unrevoked access does.
 *
 * <p>The federated machine's issuer is synthetic too: a key made for the drill and held in memory only, whose public
 * half is written into the partnership's identity provider itself. Keycloak fetches no discovery document or JWKS for
 * it, so the drill needs no network, serves nothing, and no loopback or private address is ever allowed for it.
 */
@Service
public class RevocationDrill {

    /** The drill's actor in the audit trail: the application itself, named as the drill. */
    public static final String ACTOR = ActorKind.REVOCATION_DRILL;
    /** Timer of report → verified, tagged by outcome; Prometheus: {@code partner_access_revocation_drill_seconds}. */
    public static final String METRIC = "partner.access.revocation.drill";

    public enum Outcome {
        /** Every check held. */
        OK,
        /** Reported, but the verification did not hold: the security officers are alerted. */
        FAILED,
        /** Could not be set up (nothing was reported): no revocation time. */
        ERROR
    }

    /** One drill as stored; the instants and the duration are null where the drill did not get that far. */
    public record Result(String drillId, String partnershipKey, Instant startedAt, Instant reportedAt,
                         Instant acceptedAt, Instant verifiedAt, Duration duration, Outcome outcome, int people,
                         int machines, int tokensChecked, int tokensInactive, int credentialsChecked,
                         int credentialsRefused, String detail) {
    }

    private static final Logger log = LoggerFactory.getLogger(RevocationDrill.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The subject the synthetic issuer vouches for: the drill's federated workload. */
    static final String WORKLOAD_SUBJECT = "revocation-drill-workload";
    private static final String PURPOSE = "Synthetic partnership of the revocation drill: provisioned, revoked as in an "
            + "incident and verified, to measure this installation's revocation time";

    private final DrillProperties properties;
    private final DrillResults results;
    private final Partnerships partnerships;
    private final PartnershipService partnershipService;
    private final IdentityRegistry identities;
    private final IdentityStates states;
    private final PartnerUsers partnerUsers;
    private final PartnerClients partnerClients;
    private final IdentityAccesses accesses;
    private final TokenProbe probe;
    private final SyntheticSignIn signIn;
    private final IncidentReports reports;
    private final UnrevokedAccessAlarm alarm;
    private final AuditLog audit;
    private final WorkloadTrusts trusts;
    private final PartnerIdentityProviders providers;
    private final String realmUrl;
    private final MeterRegistry meters;
    private final TransactionTemplate ownTransaction;

    RevocationDrill(DrillProperties properties, DrillResults results, Partnerships partnerships,
                    PartnershipService partnershipService, IdentityRegistry identities, IdentityStates states,
                    PartnerUsers partnerUsers, PartnerClients partnerClients, IdentityAccesses accesses,
                    TokenProbe probe, SyntheticSignIn signIn,
                    IncidentReports reports, UnrevokedAccessAlarm alarm,
                    AuditLog audit, WorkloadTrusts trusts, PartnerIdentityProviders providers,
                    KeycloakProperties keycloakProperties, MeterRegistry meters, PlatformTransactionManager transactions) {
        this.properties = properties;
        this.results = results;
        this.partnerships = partnerships;
        this.partnershipService = partnershipService;
        this.identities = identities;
        this.states = states;
        this.partnerUsers = partnerUsers;
        this.partnerClients = partnerClients;
        this.accesses = accesses;
        this.probe = probe;
        this.signIn = signIn;
        this.reports = reports;
        this.alarm = alarm;
        this.audit = audit;
        this.trusts = trusts;
        this.providers = providers;
        this.realmUrl = keycloakProperties.partnerRealmUrl();
        this.meters = meters;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Runs a drill when it is on and its turn has come (no drill on any node within the interval). */
    public Optional<Result> runIfDue() {
        return properties.on() ? runIfDue(properties.interval()) : Optional.empty();
    }

    /** Runs a drill when no drill started on any node within the interval. */
    Optional<Result> runIfDue(Duration interval) {
        if (!results.takeTurn(Instant.now(), interval)) {
            return Optional.empty();
        }
        return Optional.of(drill());
    }

    /** Runs a drill now, whatever the schedule; the next scheduled one counts its interval from this one. */
    public Result run() {
        results.takeTurn(Instant.now(), null);
        return drill();
    }

    /** The timer of the drills' report → verified times, tagged with the outcome (OK, FAILED). */
    Timer timer(Outcome outcome) {
        return Timer.builder(METRIC).description("Revocation drill: from the incident report to the verification holding")
                .tag("outcome", outcome.name()).publishPercentiles(0.5, 0.95).register(meters);
    }

    private Result drill() {
        Synthetic synthetic = prepare();
        try {
            return measure(synthetic);
        } finally {
            synthetic.cleanUp();
        }
    }

    /** The synthetic partnership provisioned, each identity holding a token; a failure is kept for the result. */
    Synthetic prepare() {
        String drillId = UUID.randomUUID().toString();
        Synthetic synthetic = new Synthetic(drillId, Drills.KEY_PREFIX + drillId.replace("-", "").substring(0, 16),
                Instant.now());
        try {
            synthetic.provision();
        } catch (RuntimeException e) {
            log.warn("Revocation drill {} could not be set up: {}", synthetic.key, e.getMessage());
            synthetic.setUpFailure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return synthetic;
    }

    /**
     * Reports the incident on the prepared partnership and measures until everything is verified; the result is
     * stored, timed and audited, and a verification that does not hold alerts the security officers.
     */
    Result measure(Synthetic synthetic) {
        if (synthetic.setUpFailure != null) {
            Result result = new Result(synthetic.drillId, synthetic.key, synthetic.startedAt, null, null, null, null,
                    Outcome.ERROR, synthetic.people(), synthetic.machines(), 0, 0, 0, 0,
                    "not set up, nothing reported: " + synthetic.setUpFailure);
            results.save(result);
            return result;
        }
        String key = synthetic.key;
        Instant reportedAt = Instant.now();
        Instant acceptedAt = null;
        IncidentReports.Accepted accepted = null;
        Checks checks = new Checks();
        try {
            accepted = reports.reportForPartnership(key, new IncidentRequest("revocation drill " + synthetic.drillId,
                    IncidentRequest.Severity.CRITICAL, "revocation drill", false), caller());
            acceptedAt = Instant.now();
            // no process holds a drill's partnership: the report cut it off and verified it in Keycloak itself
            RevocationVerification.Verdict verdict = accepted.verdict();
            checks.verdict = verdict != null && verdict.passed();
            if (!checks.verdict) {
                checks.failures.add(verdict == null ? "NOT verified: Keycloak did not answer for " + accepted.unrevoked()
                        : verdict.describe());
            }
            synthetic.checkRefused(checks);
        } catch (RuntimeException e) {
            checks.failures.add("the drill broke off: " + e.getMessage());
        }
        Instant verifiedAt = Instant.now();
        boolean holds = checks.holds();
        Duration duration = Duration.between(reportedAt, verifiedAt);
        Result result = new Result(synthetic.drillId, key, synthetic.startedAt, reportedAt, acceptedAt,
                holds ? verifiedAt : null, duration, holds ? Outcome.OK : Outcome.FAILED, synthetic.people(),
                synthetic.machines(), checks.tokens, checks.tokensInactive, checks.credentials,
                checks.credentialsRefused, holds ? "verified" : String.join("; ", checks.failures));
        results.save(result);
        timer(result.outcome()).record(duration);
        if (holds) {
            audit.record(ACTOR, GovernanceAction.REVOCATION_DRILL_VERIFIED, key, null, figures(result));
        } else {
            audit.record(ACTOR, GovernanceAction.REVOCATION_DRILL_FAILED, key, null, figures(result) + "; " + result.detail());
            if (accepted == null || !accepted.officersAlerted()) {
                alarm.alert(key, "revocation drill " + synthetic.drillId + ": the verification did not hold: "
                        + result.detail());
            }
        }
        log.info("Revocation drill {} {}: {}", key, result.outcome(), figures(result));
        return result;
    }

    private static Authentication caller() {
        return UsernamePasswordAuthenticationToken.authenticated(ACTOR, null, List.of());
    }

    private static String figures(Result result) {
        String cutOff = result.acceptedAt() == null ? ""
                : " (report to cut off " + Duration.between(result.reportedAt(), result.acceptedAt()).toMillis() + " ms)";
        return "report to verified " + result.duration().toMillis() + " ms" + cutOff + "; people " + result.people()
                + ", machines " + result.machines() + "; earlier tokens inactive " + result.tokensInactive() + "/"
                + result.tokensChecked() + "; credentials refused " + result.credentialsRefused() + "/"
                + result.credentialsChecked();
    }

    /** What the checks after the report found. */
    private static final class Checks {
        boolean verdict;
        int tokens;
        int tokensInactive;
        int credentials;
        int credentialsRefused;
        final List<String> failures = new ArrayList<>();

        void token(String what, boolean inactive) {
            tokens++;
            if (inactive) {
                tokensInactive++;
            } else {
                failures.add(what + " still active");
            }
        }

        /** A state in Keycloak that must hold (no count of its own). */
        void state(String what, boolean holds) {
            if (!holds) {
                failures.add(what);
            }
        }

        void credential(String what, boolean refused) {
            credentials++;
            if (refused) {
                credentialsRefused++;
            } else {
                failures.add(what + " still accepted");
            }
        }

        boolean holds() {
            return verdict && failures.isEmpty() && tokens > 0 && tokensInactive == tokens
                    && credentialsRefused == credentials;
        }
    }

    /**
     * One drill's synthetic partnership: its registry rows, its Keycloak objects, and the credentials and tokens its
     * identities hold, in memory only.
     */
    final class Synthetic {

        final String drillId;
        final String key;
        final Instant startedAt;
        private final List<PartnerIdentity> provisioned = new ArrayList<>();
        private String setUpFailure;
        private String personName;
        private String password;
        private SyntheticSignIn.Tokens personTokens;
        private String secretClient;
        private String secret;
        private String secretToken;
        private String jwtClient;
        private RSAKey jwtKey;
        private String jwtToken;
        private String workloadIssuer;
        private RSAKey workloadKey;
        private String federatedClient;
        private String federatedToken;
        private boolean keycloakTouched;

        Synthetic(String drillId, String key, Instant startedAt) {
            this.drillId = drillId;
            this.key = key;
            this.startedAt = startedAt;
        }

        /** Why the synthetic partnership could not be set up; null when it was. */
        String setUpFailure() {
            return setUpFailure;
        }

        String personName() {
            return personName;
        }

        String password() {
            return password;
        }

        SyntheticSignIn.Tokens personTokens() {
            return personTokens;
        }

        String secretClient() {
            return secretClient;
        }

        String secret() {
            return secret;
        }

        String secretToken() {
            return secretToken;
        }

        String jwtClient() {
            return jwtClient;
        }

        String jwtToken() {
            return jwtToken;
        }

        String federatedClient() {
            return federatedClient;
        }

        String federatedToken() {
            return federatedToken;
        }

        String workloadIssuer() {
            return workloadIssuer;
        }

        /** A fresh token of the federated machine's workload, as its issuer would give it one. */
        String newWorkloadToken() {
            return workloadToken();
        }

        /** A new client assertion of the signed-JWT machine, as the partner's workload would make one. */
        String newAssertion() {
            return assertion();
        }

        int people() {
            return (int) provisioned.stream().filter(identity -> identity.getKind() == IdentityKind.HUMAN).count();
        }

        int machines() {
            return (int) provisioned.stream().filter(identity -> identity.getKind() == IdentityKind.MACHINE).count();
        }

        void provision() {
            ownTransaction.executeWithoutResult(status -> {
                Partnership partnership = new Partnership(key, "Revocation drill (synthetic)", ACTOR, ACTOR, ACTOR,
                        PURPOSE, Set.of("public"), Set.of("production"), Set.of(),
                        LocalDate.now(ZoneOffset.UTC).plusDays(1), ACTOR);
                partnership.approve(ACTOR, Instant.now());
                partnership.moveTo(LifecycleState.ACTIVE, null);
                partnerships.addDrill(partnership);
                audit.record(ACTOR, GovernanceAction.REVOCATION_DRILL_STARTED, key, null, "synthetic partnership of the revocation drill: one "
                        + "person, one machine with a shared secret, one with signed JWTs from inline keys, one federated "
                        + "through the partnership's synthetic workload issuer");
            });
            keycloakTouched = true;
            personName = key + "-person";
            PartnerIdentity person = identity(IdentityKind.HUMAN, "Revocation drill person", personName,
                    personName + "@drill.invalid");
            String userId = partnerUsers.ensureUser(new PartnerUsers.PartnerUser(personName, person.getEmail(),
                    "Revocation", "Drill", key, person.getId()));
            activate(person, userId);
            password = random() + "-Aa1";
            partnerUsers.readyToSignIn(userId, person.getId(), password);
            personTokens = signIn.signIn(personName, password)
                    .orElseThrow(() -> new IllegalStateException("the synthetic person could not sign in"));

            secretClient = "pa-m-" + key + "-secret";
            PartnerIdentity secretMachine = identity(IdentityKind.MACHINE, "Revocation drill machine (shared secret)",
                    secretClient, null);
            activate(secretMachine, partnerClients.ensureMachineClient(machine(secretClient, secretMachine,
                    PartnerClients.AuthMethod.CLIENT_SECRET, null)));
            secret = partnerClients.currentSecret(secretClient)
                    .orElseThrow(() -> new IllegalStateException("the synthetic machine has no secret"));
            secretToken = token("the shared-secret machine", () -> probe.clientCredentials(secretClient, secret));

            jwtClient = "pa-m-" + key + "-jwt";
            jwtKey = signingKey();
            PartnerIdentity jwtMachine = identity(IdentityKind.MACHINE, "Revocation drill machine (signed JWT)",
                    jwtClient, null);
            activate(jwtMachine, partnerClients.ensureMachineClient(machine(jwtClient, jwtMachine,
                    PartnerClients.AuthMethod.SIGNED_JWT, new JWKSet(jwtKey.toPublicJWK()).toString())));
            jwtToken = token("the signed-JWT machine", () -> probe.clientAssertion(jwtClient, assertion()));

            // the partner's workload issuer: trusted by the system for this synthetic partnership only, its key inline
            workloadKey = signingKey();
            workloadIssuer = "https://workload-issuer.drill.invalid/" + drillId;
            try {
                trusts.trustSyntheticIssuer(key, workloadIssuer,
                        Base64.getEncoder().encodeToString(workloadKey.toRSAPublicKey().getEncoded()), ACTOR);
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            federatedClient = "pa-m-" + key + "-federated";
            PartnerIdentity federatedMachine = identity(IdentityKind.MACHINE, "Revocation drill machine (federated)",
                    federatedClient, null);
            activate(federatedMachine, partnerClients.ensureMachineClient(new PartnerClients.MachineClient(federatedClient,
                    federatedMachine.getDisplayName(), PURPOSE, key, federatedMachine.getId(), List.of(),
                    properties.tokenLifespan(), PartnerClients.AuthMethod.FEDERATED, null, null, false,
                    PartnerIdentityProviders.alias(key), WORKLOAD_SUBJECT)));
            federatedToken = token("the federated machine",
                    () -> probe.clientAssertion(federatedClient, workloadToken()));
            if (!probe.active(personTokens.access()) || !probe.active(secretToken) || !probe.active(jwtToken)
                    || !probe.active(federatedToken)) {
                throw new IllegalStateException("a token of the synthetic identities is not active before the report");
            }
        }

        /** After the report: every token taken before is inactive, and every credential is refused. */
        void checkRefused(Checks checks) {
            checks.token("the person's access token", !probe.active(personTokens.access()));
            checks.token("the shared-secret machine's token", !probe.active(secretToken));
            checks.token("the signed-JWT machine's token", !probe.active(jwtToken));
            checks.token("the federated machine's token", !probe.active(federatedToken));
            checks.credential("the person's refresh token", signIn.refreshRefused(personTokens.refresh()));
            checks.credential("the person's password", signIn.signIn(personName, password).isEmpty());
            checks.credential("the machine's shared secret", probe.clientCredentials(secretClient, secret).isEmpty());
            checks.credential("the machine's signing key", probe.clientAssertion(jwtClient, assertion()).isEmpty());
            checks.credential("a fresh token of the federated machine's workload",
                    probe.clientAssertion(federatedClient, workloadToken()).isEmpty());
            checks.state("the partnership's identity provider still enabled", providers
                    .find(PartnerIdentityProviders.alias(key)).map(provider -> !provider.isEnabled()).orElse(false));
        }

        /**
         * Deletes the Keycloak objects (a drill's objects hold nothing once revoked, and disabled ones would pile up
         * with every drill) and ends the registry rows: the identities revoked (by the incident, or here when the
         * drill did not get that far), the partnership revoked. Failures are logged; the drift reconciliation finds
         * anything left.
         */
        void cleanUp() {
            if (!keycloakTouched) {
                return;
            }
            List<String> left = new ArrayList<>();
            for (PartnerIdentity identity : provisioned) {
                try {
                    // found by name and checked by its attribute, whatever the row recorded
                    accesses.of(identity).delete(new IdentityAccess.Target(identity.getId(), null,
                            identity.getKeycloakName()));
                } catch (RuntimeException e) {
                    left.add(identity.getKeycloakName() + " (" + e.getMessage() + ")");
                }
            }
            try {
                trusts.deleteSyntheticProvider(key, ACTOR);
            } catch (RuntimeException e) {
                left.add(PartnerIdentityProviders.alias(key) + " (" + e.getMessage() + ")");
            }
            try {
                partnerUsers.deletePartnershipGroup(key);
            } catch (RuntimeException e) {
                left.add(PartnerUsers.partnershipGroupName(key) + " (" + e.getMessage() + ")");
            }
            try {
                ownTransaction.executeWithoutResult(status -> {
                    for (PartnerIdentity identity : identities.notEndedOf(key)) {
                        if (states.revoke(identity.getId(), "revocation drill ended", Instant.now())
                                == IdentityStates.Step.MOVED) {
                            audit.record(ACTOR, IdentityAction.IDENTITY_REVOKED, key, identity.getId(), "revocation drill ended");
                        }
                    }
                    partnershipService.moveTo(key, LifecycleState.REVOKED, "revocation drill ended", ACTOR);
                    audit.record(ACTOR, GovernanceAction.REVOCATION_DRILL_CLEANED_UP, key, null, left.isEmpty()
                            ? "the synthetic person, machines, identity provider and group deleted in Keycloak; "
                            + "registry rows revoked"
                            : "left in Keycloak: " + String.join(", ", left));
                });
            } catch (RuntimeException e) {
                log.warn("Revocation drill {}: the registry rows could not be ended: {}", key, e.getMessage());
            }
            if (!left.isEmpty()) {
                log.warn("Revocation drill {} left in Keycloak: {}", key, left);
            }
        }

        private PartnerIdentity identity(IdentityKind kind, String name, String keycloakName, String email) {
            PartnerIdentity identity = new PartnerIdentity(UUID.randomUUID().toString(), key, kind, name, keycloakName,
                    email, ACTOR, PURPOSE, "production", Set.of(), Instant.now().plus(Duration.ofDays(1)), ACTOR);
            ownTransaction.executeWithoutResult(status -> {
                identities.add(identity);
                states.approve(identity.getId(), ACTOR, Instant.now());
            });
            PartnerIdentity approved = identities.find(identity.getId()).orElseThrow();
            provisioned.add(approved);
            return approved;
        }

        private void activate(PartnerIdentity identity, String keycloakId) {
            ownTransaction.executeWithoutResult(status -> states.activate(identity.getId(), keycloakId));
        }

        private PartnerClients.MachineClient machine(String clientId, PartnerIdentity identity,
                                                      PartnerClients.AuthMethod method, String jwks) {
            return new PartnerClients.MachineClient(clientId, identity.getDisplayName(), PURPOSE, key,
                    identity.getId(), List.of(), properties.tokenLifespan(), method, null, jwks);
        }

        /** A client assertion (RFC 7523) signed with the drill machine's private key, which never leaves memory. */
        private String assertion() {
            Instant now = Instant.now();
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                        .keyID(jwtKey.getKeyID()).build(),
                        new JWTClaimsSet.Builder().issuer(jwtClient).subject(jwtClient).audience(probe.tokenEndpoint())
                                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now))
                                .expirationTime(Date.from(now.plusSeconds(60))).build());
                jwt.sign(new RSASSASigner(jwtKey));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * A token of the synthetic workload issuer for the federated machine's workload, as a partner's issuer
         * (a cluster, a CI system) would give its workload one: for the partner realm, one minute long.
         */
        private String workloadToken() {
            Instant now = Instant.now();
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                        .keyID(workloadKey.getKeyID()).build(),
                        new JWTClaimsSet.Builder().issuer(workloadIssuer).subject(WORKLOAD_SUBJECT).audience(realmUrl)
                                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                                .expirationTime(Date.from(now.plusSeconds(60))).build());
                jwt.sign(new RSASSASigner(workloadKey));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        private String token(String who, Supplier<Optional<String>> request) {
            return request.get().orElseThrow(() -> new IllegalStateException(who + " got no token"));
        }
    }

    /** An RSA signing key made for one drill; it never leaves memory. */
    private static RSAKey signingKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
