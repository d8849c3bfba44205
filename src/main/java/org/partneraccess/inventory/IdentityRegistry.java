package org.partneraccess.inventory;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.partneraccess.LifecycleState;
import org.partneraccess.inventory.internal.PartnerIdentityRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The registry's identities as the other modules read and add them: loaded rows, joined to the caller's transaction
 * (or in one of their own), so that what a caller changes on them is written with it. Their state moves only through
 * {@link IdentityStates}; listings read {@link IdentityInventory}.
 */
@Service
@Transactional(readOnly = true)
public class IdentityRegistry {

    private final PartnerIdentityRepository identities;

    IdentityRegistry(PartnerIdentityRepository identities) {
        this.identities = identities;
    }

    /** Records a new request (REQUESTED); returns the row as stored. */
    @Transactional
    public PartnerIdentity add(PartnerIdentity requested) {
        return identities.save(requested);
    }

    public Optional<PartnerIdentity> find(String identityId) {
        return identities.findById(identityId);
    }

    /** The identity if it is one of this kind. */
    public Optional<PartnerIdentity> find(String identityId, IdentityKind kind) {
        return find(identityId).filter(identity -> identity.getKind() == kind);
    }

    /** Those of the ids that exist, in no particular order. */
    public List<PartnerIdentity> findAll(Collection<String> identityIds) {
        return identities.findAllById(identityIds);
    }

    /** Every identity of the partnership, by id. */
    public List<PartnerIdentity> of(String partnershipKey) {
        return identities.findByPartnershipKeyOrderById(partnershipKey);
    }

    /** The partnership's identities in one of {@code states}, by id. */
    public List<PartnerIdentity> of(String partnershipKey, Set<LifecycleState> states) {
        return identities.findByPartnershipKeyAndStateInOrderById(partnershipKey, states);
    }

    /** The partnership's identities that hold or await access, by id: what a revocation of it ends. */
    public List<PartnerIdentity> notEndedOf(String partnershipKey) {
        return of(partnershipKey, LifecycleState.notEnded());
    }

    /** Whether an identity of this kind and Keycloak name (a person's e-mail) holds or awaits access. */
    public boolean notEndedNamed(IdentityKind kind, String keycloakName) {
        return identities.existsByKindAndKeycloakNameAndStateIn(kind, keycloakName, LifecycleState.notEnded());
    }

    /** The internal owners named by identities that hold or await access. */
    public List<String> ownersOfNotEnded() {
        return identities.ownersIn(LifecycleState.notEnded());
    }

    /** The identities that hold or await access and name {@code owner} as their owner, by id. */
    public List<PartnerIdentity> notEndedOwnedBy(String owner) {
        return identities.findByOwnerAndStateInOrderById(owner, LifecycleState.notEnded());
    }

    /** When any identity of the partnership was last used; null when none ever was. */
    public Instant lastUsedIn(String partnershipKey) {
        return identities.lastUsedInPartnership(partnershipKey);
    }
}
