package org.partneraccess.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.Validation;
import org.junit.jupiter.api.Test;
import org.partneraccess.InvalidRequestException;
import org.partneraccess.LifecycleState;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.decision.Decisions;
import org.partneraccess.keycloak.PartnerIdentityProviders;
import org.partneraccess.keycloak.PartnerIdentityProviders.Kind;
import org.partneraccess.partnership.Partnership;
import org.partneraccess.partnership.PartnershipService;
import org.partneraccess.policy.AccessPolicy;

/**
 * SPIFFE trust domains behind their setting: refused while it is off (Keycloak is not even asked), refused while the
 * partner realm's Keycloak runs without the preview feature, and with both a trust domain and its bundle endpoint
 * checked; under such a trust a federated machine's workload subject is a SPIFFE ID of that domain. The token path
 * against a Keycloak started with the feature: {@link SpiffeTrustIT}.
 */
class SpiffeTrustTest {

    private static final String KEY = "acme";
    private final WorkloadTrustRepository repository = mock(WorkloadTrustRepository.class);
    private final PartnershipService partnerships = mock(PartnershipService.class);
    private final PartnerIdentityProviders providers = mock(PartnerIdentityProviders.class);

    SpiffeTrustTest() {
        Partnership partnership = mock(Partnership.class);
        when(partnership.getState()).thenReturn(LifecycleState.ACTIVE);
        when(partnerships.find(KEY)).thenReturn(Optional.of(partnership));
        when(repository.findByOpenPartnershipKey(KEY)).thenReturn(Optional.empty());
    }

    @Test
    void offRefusedNamingTheKindWithoutAskingKeycloak() {
        Map<String, String> errors = refused(trusts(false), spiffe("spiffe://partner.example.org",
                "https://bundle.partner.example.org/"));

        assertThat(errors).containsKey("kind");
        assertThat(errors.get("kind")).contains("partner-access.trust.spiffe.enabled");
        verifyNoInteractions(providers);
    }

    @Test
    void onButKeycloakWithoutTheFeatureRefusedNamingTheKind() {
        when(providers.offers(Kind.SPIFFE)).thenReturn(false);

        Map<String, String> errors = refused(trusts(true), spiffe("spiffe://partner.example.org",
                "https://bundle.partner.example.org/"));

        assertThat(errors).containsOnlyKeys("kind");
        assertThat(errors.get("kind")).contains("without its preview feature spiffe");
    }

    @Test
    void onWithTheFeatureATrustDomainAndItsBundleEndpointAreChecked() {
        when(providers.offers(Kind.SPIFFE)).thenReturn(true);
        WorkloadTrusts trusts = trusts(true);

        assertThatCode(() -> trusts.check(KEY, spiffe("spiffe://partner.example.org",
                "https://bundle.partner.example.org/"))).doesNotThrowAnyException();
        for (String domain : List.of("spiffe://Partner.example.org", "spiffe://partner.example.org/",
                "spiffe://partner.example.org/workload", "https://partner.example.org", "partner.example.org")) {
            assertThat(refused(trusts, spiffe(domain, "https://bundle.partner.example.org/"))).as(domain)
                    .containsOnlyKeys("issuer");
        }
        assertThat(refused(trusts, spiffe("spiffe://partner.example.org", null))).containsOnlyKeys("jwksUrl");
        assertThat(refused(trusts, spiffe("spiffe://partner.example.org", "http://bundle.partner.example.org/")))
                .containsOnlyKeys("jwksUrl");
        assertThat(refused(trusts, spiffe("spiffe://partner.example.org", "https://169.254.169.254/bundle")))
                .containsOnlyKeys("jwksUrl");
        verify(providers, never()).ensure(any());
    }

    @Test
    void aTrustDomainOpenForAnotherPartnershipIsRefusedNamingTheIssuer() {
        when(providers.offers(Kind.SPIFFE)).thenReturn(true);
        when(repository.existsByKindAndIssuerAndOpenPartnershipKeyIsNotNull(Kind.SPIFFE, "spiffe://partner.example.org"))
                .thenReturn(true);
        WorkloadTrusts trusts = trusts(true);

        Map<String, String> errors = refused(trusts, spiffe("spiffe://partner.example.org",
                "https://bundle.attacker.example.org/"));
        assertThat(errors).containsOnlyKeys("issuer");
        assertThat(errors.get("issuer")).contains("another partnership");
        assertThatCode(() -> trusts.check(KEY, spiffe("spiffe://other.example.org",
                "https://bundle.other.example.org/"))).doesNotThrowAnyException();
    }

    @Test
    void underASpiffeTrustAMachinesSubjectIsASpiffeIdOfItsDomain() {
        WorkloadTrust trust = new WorkloadTrust("t-1", KEY, Kind.SPIFFE, "spiffe://partner.example.org",
                "https://bundle.partner.example.org/", "rita.requester");

        assertThat(WorkloadTrusts.subjectProblem(trust, "spiffe://partner.example.org/ns/orders/sa/sync")).isEmpty();
        for (String subject : List.of("spiffe://other.example.org/ns/orders/sa/sync", "spiffe://partner.example.org",
                "spiffe://partner.example.org/", "spiffe://partner.example.org/ns//sync",
                "spiffe://partner.example.org/ns/../admin", "spiffe://partner.example.org/ns/./sync",
                "spiffe://partner.example.org/ns/orders/", "spiffe://partner.example.org/ns/or ders",
                "spiffe://partner.example.org.attacker.example/ns", "system:serviceaccount:orders:sync")) {
            assertThat(WorkloadTrusts.subjectProblem(trust, subject)).as(subject).isPresent();
        }
        WorkloadTrust kubernetes = new WorkloadTrust("t-2", KEY, Kind.KUBERNETES, "https://k8s.partner.example.org",
                null, "rita.requester");
        assertThat(WorkloadTrusts.subjectProblem(kubernetes, "system:serviceaccount:orders:sync")).isEmpty();
    }

    @Test
    void aSpiffeTrustBecomesKeycloaksSpiffeProviderWithItsDomainAndBundleEndpoint() {
        PartnerIdentityProviders.WorkloadIssuer issuer = new WorkloadTrust("t-1", KEY, Kind.SPIFFE,
                "spiffe://partner.example.org", "https://bundle.partner.example.org/", "rita.requester").workloadIssuer();
        org.keycloak.representations.idm.IdentityProviderRepresentation found =
                new org.keycloak.representations.idm.IdentityProviderRepresentation();
        found.setProviderId("spiffe");
        found.setHideOnLogin(true);
        found.setLinkOnly(true);
        found.setConfig(new HashMap<>(Map.of("trustDomain", "spiffe://partner.example.org",
                "bundleEndpoint", "https://bundle.partner.example.org/")));

        assertThat(PartnerIdentityProviders.beyondProvisioning(found, issuer)).isEmpty();
        found.getConfig().put("bundleEndpoint", "https://attacker.example.org/bundle");
        assertThat(PartnerIdentityProviders.beyondProvisioning(found, issuer)).containsExactly("bundleEndpoint");
    }

    private WorkloadTrusts trusts(boolean spiffeEnabled) {
        return new WorkloadTrusts(repository, partnerships, providers, mock(AccessPolicy.class), mock(Decisions.class),
                mock(AuditLog.class), Validation.buildDefaultValidatorFactory().getValidator(),
                new TrustProperties(false, List.of(), Duration.ofSeconds(5), 65536,
                        new TrustProperties.Spiffe(spiffeEnabled)),
                mock(org.springframework.context.ApplicationEventPublisher.class));
    }

    private static WorkloadTrustRequest spiffe(String trustDomain, String bundleEndpoint) {
        return new WorkloadTrustRequest("SPIFFE", trustDomain, bundleEndpoint);
    }

    private static Map<String, String> refused(WorkloadTrusts trusts, WorkloadTrustRequest request) {
        try {
            trusts.check(KEY, request);
        } catch (InvalidRequestException refused) {
            return refused.fieldErrors();
        }
        throw new AssertionError("not refused: " + request);
    }
}
