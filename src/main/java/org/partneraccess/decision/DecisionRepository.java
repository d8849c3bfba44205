package org.partneraccess.decision;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Limit;
import org.springframework.data.repository.Repository;

/** Append and read: no update, no delete. */
interface DecisionRepository extends Repository<Decision, Long> {

    Decision save(Decision decision);

    Optional<Decision> findById(Long id);

    Optional<Decision> findFirstBySubjectAndStepOrderByIdDesc(String subject, String step);

    Optional<Decision> findFirstBySubjectAndStepAndIdGreaterThanOrderByIdDesc(String subject, String step, long after);

    List<Decision> findBySubjectOrderById(String subject);

    List<Decision> findBySubjectInOrderById(Collection<String> subjects);

    Optional<Decision> findFirstByProcessInstanceIdAndStepOrderByIdDesc(String processInstanceId, String step);

    Optional<Decision> findFirstByProcessInstanceIdOrderByIdDesc(String processInstanceId);

    List<Decision> findByDecidedByAndDecidedAtAfterOrderByIdDesc(String decidedBy, Instant after, Limit limit);

    List<Decision> findByDecidedByIgnoreCaseAndStepInOrderByIdDesc(String decidedBy, Collection<String> steps,
                                                                   Limit limit);

    List<Decision> findByDecidedByIgnoreCaseAndStepInAndSubjectOrderByIdDesc(String decidedBy,
                                                                             Collection<String> steps, String subject,
                                                                             Limit limit);
}
