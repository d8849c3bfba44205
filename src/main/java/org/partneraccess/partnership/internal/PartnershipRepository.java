package org.partneraccess.partnership.internal;

import java.util.Collection;
import java.util.List;

import org.partneraccess.LifecycleState;
import org.partneraccess.partnership.Partnership;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/**
 * The rows of the partnership registry; other modules read them through
 * {@link org.partneraccess.partnership.Partnerships}, and request, decide and move them through
 * {@link org.partneraccess.partnership.PartnershipService} and the partnership's process.
 */
public interface PartnershipRepository extends JpaRepository<Partnership, String> {

    List<Partnership> findByStateOrderByKey(LifecycleState state);

    /** Everyone named as sponsor, business owner or technical owner of a partnership in one of the states. */
    @Query("select p.sponsor, p.businessOwner, p.technicalOwner from Partnership p where p.state in :states")
    List<Object[]> staffNamedIn(@Param("states") Collection<LifecycleState> states);

    /** The partnerships in one of the states that name the staff user as sponsor, business or technical owner. */
    @Query("select p from Partnership p where p.state in :states and (p.sponsor = :user or p.businessOwner = :user"
            + " or p.technicalOwner = :user) order by p.key")
    List<Partnership> namingStaff(@Param("user") String user, @Param("states") Collection<LifecycleState> states);
}
