package org.partneraccess.revocation;

import static org.partneraccess.Variables.*;
import static org.partneraccess.partnership.PartnershipVariables.*;

import java.util.Date;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class RevokeForIncidentDelegate implements JavaDelegate {

    private final PartnershipAccessService access;
    private final UnrevokedAccessAlarm alarm;

    RevokeForIncidentDelegate(PartnershipAccessService access, UnrevokedAccessAlarm alarm) {
        this.access = access;
        this.alarm = alarm;
    }

    @Override
    public void execute(DelegateExecution execution) {
        String key = subject(execution);
        IncidentRevocation.Outcome outcome = access.cutOff(key, incidentReason(execution), actor(execution));
        alarm.update(execution, key, outcome.unrevoked());
        execution.setVariable(UNREVOKED_IDENTITIES, outcome.unrevoked().size());
        execution.setVariable(INCIDENT_CUT_OFF_AT, Date.from(outcome.cutOffAt()));
    }

    static String incidentReason(DelegateExecution execution) {
        return reason(execution, INCIDENT_REASON, "incident reported");
    }
}
