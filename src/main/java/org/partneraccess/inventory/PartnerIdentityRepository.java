package org.partneraccess.inventory;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface PartnerIdentityRepository extends JpaRepository<PartnerIdentity, String>,
        JpaSpecificationExecutor<PartnerIdentity> {

    List<PartnerIdentity> findByPartnershipKeyOrderById(String partnershipKey);

    List<PartnerIdentity> findByPartnershipKeyAndStateInOrderById(String partnershipKey,
                                                                  java.util.Collection<org.partneraccess.LifecycleState> states);

    List<PartnerIdentity> findByKindAndKeycloakNameAndStateIn(IdentityKind kind, String keycloakName,
                                                              java.util.Collection<org.partneraccess.LifecycleState> states);

    /** When any identity of the partnership was last used; null when none ever was. */
    @Query("select max(i.lastUsedAt) from PartnerIdentity i where i.partnershipKey = :partnershipKey")
    java.time.Instant lastUsedInPartnership(@Param("partnershipKey") String partnershipKey);
}
