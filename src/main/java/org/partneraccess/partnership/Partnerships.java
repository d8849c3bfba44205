package org.partneraccess.partnership;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.partneraccess.Drills;
import org.partneraccess.LifecycleState;
import org.partneraccess.partnership.internal.PartnershipRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The registry's partnerships as the other modules read them: loaded rows, joined to the caller's transaction (or in
 * one of their own), so that what a caller changes on them is written with it. Requests, decisions and state moves go
 * through {@link PartnershipService} and the partnership's process.
 */
@Service
@Transactional(readOnly = true)
public class Partnerships {

    private final PartnershipRepository partnerships;

    Partnerships(PartnershipRepository partnerships) {
        this.partnerships = partnerships;
    }

    /** The partnership with this key; empty when the key is blank or names none. */
    public Optional<Partnership> find(String partnershipKey) {
        return partnershipKey == null || partnershipKey.isBlank() ? Optional.empty()
                : partnerships.findById(partnershipKey);
    }

    /** Those of the keys that exist, in no particular order. */
    public List<Partnership> findAll(Collection<String> partnershipKeys) {
        return partnerships.findAllById(partnershipKeys);
    }

    /** Everyone named as sponsor, business owner or technical owner of a partnership that has not ended, sorted. */
    public SortedSet<String> staffNamedOnNotEnded() {
        SortedSet<String> named = new TreeSet<>();
        for (Object[] row : partnerships.staffNamedIn(LifecycleState.notEnded())) {
            Stream.of(row).filter(Objects::nonNull).map(String::valueOf).forEach(named::add);
        }
        return named;
    }

    /** The partnerships that have not ended and name the staff user as sponsor, business or technical owner, by key. */
    public List<Partnership> notEndedNaming(String user) {
        return partnerships.namingStaff(user, LifecycleState.notEnded());
    }

    /**
     * Records a synthetic partnership of the revocation drill as it is, without a request or a process: only under a
     * key no request may use, so that nothing real enters the registry this way.
     */
    @Transactional
    public Partnership addDrill(Partnership synthetic) {
        if (!Drills.isDrill(synthetic.getKey())) {
            throw new IllegalArgumentException("Not a drill's key: " + synthetic.getKey());
        }
        return partnerships.save(synthetic);
    }
}
