package org.partneraccess.human;

import static org.partneraccess.Variables.*;

import java.time.Duration;
import java.time.Instant;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Keep, or reduce to the roles the sponsor kept; the next review is one interval away. */
@Component
public class RecordHumanRecertificationDelegate implements JavaDelegate {

    static final String REDUCE = "REDUCE";

    private final HumanAccessService humans;

    RecordHumanRecertificationDelegate(HumanAccessService humans) {
        this.humans = humans;
    }

    @Override
    public void execute(DelegateExecution execution) {
        boolean reduce = REDUCE.equals(string(execution, REVIEW_DECISION));
        humans.recertify(subject(execution), string(execution, LAST_DECIDED_BY),
                reduce ? stringSet(execution, KEPT_ROLES) : null, string(execution, REVIEW_COMMENT),
                Instant.now().plus(Duration.parse(string(execution, REVIEW_INTERVAL))));
    }
}
