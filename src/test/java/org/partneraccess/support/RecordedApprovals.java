package org.partneraccess.support;

import java.util.Map;

import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.decision.Decisions;
import org.partneraccess.human.HumanAccessService;
import org.partneraccess.machine.MachineRegistrationService;

/**
 * Approvals for fixtures that set access up without running the approval tasks: the policy's decision and the
 * approver's are recorded as the process records them, then the grant reads them like any other.
 */
public final class RecordedApprovals {

    private RecordedApprovals() {
    }

    public static void approvePerson(HumanAccessService humans, Decisions decisions, String identityId, String sponsor) {
        humans.decidePolicy(identityId);
        decisions.append(identityId, null, ProcessIds.TASK_APPROVE_AS_SPONSOR, sponsor,
                Map.of(Variables.SPONSOR_APPROVED, true));
        humans.approve(identityId);
    }

    /** A machine the policy approves on its own (low risk). */
    public static void approveMachineByPolicy(MachineRegistrationService registrations, String identityId) {
        registrations.decidePolicy(identityId);
        registrations.approve(identityId);
    }
}
