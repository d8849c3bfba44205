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
        String comment = string(execution, SPONSOR_COMMENT);
        partnerships.reject(string(execution, PARTNERSHIP_KEY), string(execution, SPONSOR_DECIDED_BY),
                comment == null || comment.isBlank() ? "rejected by the sponsor" : comment);
    }
}
