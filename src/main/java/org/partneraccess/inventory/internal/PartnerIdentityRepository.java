package org.partneraccess.inventory.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.partneraccess.LifecycleState;
import org.partneraccess.inventory.IdentityKind;
import org.partneraccess.inventory.PartnerIdentity;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/**
 * The rows of the registry; other modules read and add them through
 * {@link org.partneraccess.inventory.IdentityRegistry}, and move their state through
 * {@link org.partneraccess.inventory.IdentityStates}.
 */
public interface PartnerIdentityRepository extends JpaRepository<PartnerIdentity, String> {

    List<PartnerIdentity> findByPartnershipKeyOrderById(String partnershipKey);

    List<PartnerIdentity> findByPartnershipKeyAndStateInOrderById(String partnershipKey,
                                                                  Collection<LifecycleState> states);

    boolean existsByKindAndKeycloakNameAndStateIn(IdentityKind kind, String keycloakName,
                                                  Collection<LifecycleState> states);

    /** The internal owners of identities in one of the states. */
    @Query("select distinct i.owner from PartnerIdentity i where i.state in :states and i.owner is not null")
    List<String> ownersIn(@Param("states") Collection<LifecycleState> states);

    List<PartnerIdentity> findByOwnerAndStateInOrderById(String owner, Collection<LifecycleState> states);

    /**
     * Keeps a later use; the column is written only by such statements, never with the rest of the row (see
     * {@link PartnerIdentity}).
     */
    @Modifying
    @Query(value = "update partner_identity set last_used_at = :at where identity_id = :id"
            + " and (last_used_at is null or last_used_at < :at)", nativeQuery = true)
    int recordUse(@Param("id") String identityId, @Param("at") Instant at);

    /** When any identity of the partnership was last used; null when none ever was. */
    @Query("select max(i.lastUsedAt) from PartnerIdentity i where i.partnershipKey = :partnershipKey")
    Instant lastUsedInPartnership(@Param("partnershipKey") String partnershipKey);
}
