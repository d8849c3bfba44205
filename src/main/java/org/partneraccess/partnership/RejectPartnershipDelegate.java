package org.partneraccess.partnership;

import static org.partneraccess.Variables.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
public class RejectPartnershipDelegate implements JavaDelegate {

    private final PartnershipService partnerships;

    RejectPartnershipDelegate(PartnershipService partnerships) {
        this.partnerships = partnerships;
    }

    @Override
    public void execute(DelegateExecution execution) {
        partnerships.reject(subject(execution), string(execution, LAST_DECIDED_BY),
                rejectionReason(execution));
    }
}
