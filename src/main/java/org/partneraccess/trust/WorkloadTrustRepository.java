package org.partneraccess.trust;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.partneraccess.LifecycleState;
import org.partneraccess.keycloak.PartnerIdentityProviders;
import org.springframework.data.jpa.repository.JpaRepository;

interface WorkloadTrustRepository extends JpaRepository<WorkloadTrust, String> {

    /** The partnership's open trust: requested or in force (at most one, the database keeps it so). */
    Optional<WorkloadTrust> findByOpenPartnershipKey(String partnershipKey);

    List<WorkloadTrust> findByPartnershipKey(String partnershipKey);

    /** Whether a trust of this kind and issuer is open (requested or in force) for any partnership. */
    boolean existsByKindAndIssuerAndOpenPartnershipKeyIsNotNull(PartnerIdentityProviders.Kind kind, String issuer);

    List<WorkloadTrust> findByRequestedByIgnoreCaseOrderByCreatedAtDesc(String requestedBy);

    Optional<WorkloadTrust> findByIdAndRequestedByIgnoreCase(String id, String requestedBy);

    Optional<WorkloadTrust> findFirstByPartnershipKeyOrderByCreatedAtDesc(String partnershipKey);

    List<WorkloadTrust> findByStateIn(Collection<LifecycleState> states);
}
