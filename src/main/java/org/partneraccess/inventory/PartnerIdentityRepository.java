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

    /** The internal owners of identities in one of the states. */
    @Query("select distinct i.owner from PartnerIdentity i where i.state in :states and i.owner is not null")
    List<String> ownersIn(@Param("states") java.util.Collection<org.partneraccess.LifecycleState> states);

    List<PartnerIdentity> findByOwnerAndStateInOrderById(String owner,
                                                         java.util.Collection<org.partneraccess.LifecycleState> states);

    /**
     * Keeps a later use; the column is written only by such statements, never with the rest of the row (see
     * {@link PartnerIdentity}).
     */
    @org.springframework.data.jpa.repository.Modifying
    @Query(value = "update partner_identity set last_used_at = :at where identity_id = :id"
            + " and (last_used_at is null or last_used_at < :at)", nativeQuery = true)
    int recordUse(@Param("id") String identityId, @Param("at") java.time.Instant at);

    /** When any identity of the partnership was last used; null when none ever was. */
    @Query("select max(i.lastUsedAt) from PartnerIdentity i where i.partnershipKey = :partnershipKey")
    java.time.Instant lastUsedInPartnership(@Param("partnershipKey") String partnershipKey);
}
