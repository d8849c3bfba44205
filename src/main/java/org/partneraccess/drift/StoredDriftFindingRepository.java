package org.partneraccess.drift;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface StoredDriftFindingRepository extends JpaRepository<StoredDriftFinding, String> {

    /** The newest finding with this key in this status. */
    Optional<StoredDriftFinding> findFirstByFindingKeyAndStatusOrderByDetectedAtDesc(String findingKey,
                                                                                     DriftFindingStatus status);

    /** The newest accepted finding with this key, by when it was decided. */
    Optional<StoredDriftFinding> findFirstByFindingKeyAndStatusOrderByDecidedAtDesc(String findingKey,
                                                                                    DriftFindingStatus status);

    List<StoredDriftFinding> findByIdentityIdOrderByDetectedAt(String identityId);

    List<StoredDriftFinding> findByFindingKeyOrderByDetectedAt(String findingKey);

    List<StoredDriftFinding> findByKeycloakIdOrderByDetectedAt(String keycloakId);

    /** Open findings under review, by kind: {@code [kind, count]}. */
    @Query("select f.kind, count(f) from StoredDriftFinding f where f.status = org.partneraccess.drift.DriftFindingStatus.OPEN"
            + " and f.reviewProcessId is not null group by f.kind")
    List<Object[]> countOpenReviewsByKind();
}
