package org.partneraccess.continuity;

import static org.partneraccess.Variables.*;
import static org.partneraccess.continuity.OwnerReassignmentVariables.*;
import static org.partneraccess.partnership.PartnershipVariables.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.VariableInstance;
import org.camunda.bpm.engine.task.Task;
import org.partneraccess.InvalidRequestException;
import org.partneraccess.LifecycleState;
import org.partneraccess.ProcessIds;
import org.partneraccess.inventory.IdentityProcesses;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.GovernanceAction;
import org.partneraccess.inventory.IdentityRegistry;
import org.partneraccess.inventory.PartnerIdentity;
import org.partneraccess.mail.MailNotifier;
import org.partneraccess.partnership.LifecycleTriggers;
import org.partneraccess.partnership.Partnership;
import org.partneraccess.partnership.Partnerships;
import org.partneraccess.partnership.TriggerNotAcceptedException;
import org.partneraccess.security.StaffAccounts;
import org.partneraccess.security.StaffAccounts.AccountState;
import org.partneraccess.security.StaffDirectory;
import org.partneraccess.security.StaffGroups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Owner continuity: partner access always has a staff member who answers for it. Finds staff users who left the staff
 * realm (disabled or deleted) while still named as sponsor or owner of access that has not ended, and hands their
 * roles over to a successor, or suspends the access when nobody takes it.
 */
@Service
@EnableConfigurationProperties(OwnerContinuityProperties.class)
public class OwnerContinuity {

    private static final Logger log = LoggerFactory.getLogger(OwnerContinuity.class);
    /** Process variables that name a staff user on whom later tasks and mails depend. */
    static final List<String> STAFF_VARIABLES = List.of(SPONSOR, BUSINESS_OWNER, TECHNICAL_OWNER, OWNER,
            OWNER_APPROVER, ELEVATION_APPROVER);

    private final Partnerships partnerships;
    private final IdentityRegistry identities;
    private final StaffAccounts accounts;
    private final StaffDirectory staff;
    private final RuntimeService runtime;
    private final TaskService tasks;
    private final LifecycleTriggers triggers;
    private final MailNotifier mail;
    private final AuditLog audit;
    private final OwnerContinuityProperties properties;

    OwnerContinuity(Partnerships partnerships, IdentityRegistry identities, StaffAccounts accounts,
                    StaffDirectory staff, RuntimeService runtime, TaskService tasks, LifecycleTriggers triggers,
                    MailNotifier mail, AuditLog audit, OwnerContinuityProperties properties) {
        this.partnerships = partnerships;
        this.identities = identities;
        this.accounts = accounts;
        this.staff = staff;
        this.runtime = runtime;
        this.tasks = tasks;
        this.triggers = triggers;
        this.mail = mail;
        this.audit = audit;
        this.properties = properties;
    }

    /**
     * Opens a reassignment for every staff user who left while still named on access that has not ended, unless one
     * is open for them already.
     *
     * @return the departed staff users a reassignment was opened for now
     */
    @Transactional
    public List<String> detect() {
        Set<String> named = partnerships.staffNamedOnNotEnded();
        named.addAll(identities.ownersOfNotEnded());
        List<String> opened = new ArrayList<>();
        for (String user : named) {
            AccountState state = accounts.state(user);
            if (state != AccountState.ENABLED && !reassignmentOpen(user)) {
                open(user, state);
                opened.add(user);
            }
        }
        return opened;
    }

    private boolean reassignmentOpen(String user) {
        return runtime.createProcessInstanceQuery().processDefinitionKey(ProcessIds.OWNER_REASSIGNMENT_PROCESS)
                .processInstanceBusinessKey(user).count() > 0;
    }

    private void open(String user, AccountState departure) {
        Affected affected = affected(user);
        affected.partnerships().forEach(p -> audit.record("system", GovernanceAction.OWNER_DEPARTED, p.getKey(), null,
                "staffUser=" + user + "; " + departure + " in the staff realm; roles=" + roles(p, user)));
        affected.identities().forEach(i -> audit.record("system", GovernanceAction.OWNER_DEPARTED, i.getPartnershipKey(), i.getId(),
                "staffUser=" + user + "; " + departure + " in the staff realm; role=owner"));
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put(DEPARTED_USER, user);
        variables.put(DEPARTURE, departure.name());
        variables.put(AFFECTED_PARTNERSHIPS, affected.partnerships().stream().map(Partnership::getKey)
                .collect(Collectors.joining(",")));
        variables.put(AFFECTED_IDENTITIES, affected.identities().stream().map(PartnerIdentity::getId)
                .collect(Collectors.joining(",")));
        variables.put(AFFECTED_SUMMARY, affected.summary(user));
        variables.put(REASSIGNMENT_DEADLINE, properties.reassignmentDeadline().toString());
        runtime.startProcessInstanceByKey(ProcessIds.OWNER_REASSIGNMENT_PROCESS, user, variables);
        log.info("Staff user {} is {} in the staff realm and still named on {} partnerships and {} identities: "
                + "reassignment opened", user, departure, affected.partnerships().size(), affected.identities().size());
    }

    /** What names the staff user now: partnerships and identities that have not ended. */
    @Transactional(readOnly = true)
    public Affected affected(String user) {
        return new Affected(partnerships.notEndedNaming(user),
                identities.notEndedOwnedBy(user));
    }

    /**
     * Refuses a successor who could not take the departed user's roles: unknown or disabled in the staff realm, the
     * departed user themselves, not a sponsor where a sponsor is needed, or the requester of what they would approve.
     */
    @Transactional
    public void checkSuccessor(String departed, String successor) {
        String problem = successorProblem(departed, successor == null ? null : successor.trim());
        if (problem != null) {
            throw new InvalidRequestException(Map.of(SUCCESSOR, problem));
        }
    }

    private String successorProblem(String departed, String successor) {
        if (successor == null || successor.isEmpty()) {
            return "name the staff user who takes over";
        }
        if (successor.equalsIgnoreCase(departed)) {
            return successor + " is the person who left; name someone else";
        }
        AccountState account = staff.exists(successor) ? accounts.state(successor) : AccountState.DELETED;
        if (account == AccountState.DELETED) {
            return successor + " is not a known staff user";
        }
        if (account == AccountState.DISABLED) {
            return successor + " is disabled in the staff realm";
        }
        Affected affected = affected(departed);
        for (Partnership partnership : affected.partnerships()) {
            if (departed.equals(partnership.getSponsor())) {
                if (!staff.isMember(successor, StaffGroups.SPONSORS)) {
                    return successor + " is not in the sponsors group, and " + departed + " sponsors "
                            + partnership.getKey();
                }
                if (successor.equals(partnership.getRequestedBy())) {
                    return successor + " requested partnership " + partnership.getKey()
                            + " and cannot be its sponsor";
                }
            }
        }
        for (PartnerIdentity identity : affected.identities()) {
            if (identity.getState() == LifecycleState.REQUESTED && successor.equals(identity.getRequestedBy())) {
                return successor + " requested " + identity.getDisplayName() + " (" + identity.getId()
                        + "), which awaits its owner's approval, and cannot approve it";
            }
        }
        return null;
    }

    /**
     * Hands every role of the departed user over to the successor: registry rows, the variables of running processes
     * that name them (later tasks and mails go to the successor) and tasks assigned to them; each change audited.
     */
    @Transactional
    public void handOver(String departed, String successor, String decidedBy) {
        Affected affected = affected(departed);
        for (Partnership partnership : affected.partnerships()) {
            List<String> roles = partnership.handOver(departed, successor);
            audit.record(decidedBy, GovernanceAction.OWNERSHIP_TRANSFERRED, partnership.getKey(), null,
                    "from=" + departed + "; to=" + successor + "; roles=" + roles);
        }
        for (PartnerIdentity identity : affected.identities()) {
            identity.handOver(successor);
            audit.record(decidedBy, GovernanceAction.OWNERSHIP_TRANSFERRED, identity.getPartnershipKey(), identity.getId(),
                    "from=" + departed + "; to=" + successor + "; roles=[owner]");
        }
        for (String name : STAFF_VARIABLES) {
            for (VariableInstance variable : runtime.createVariableInstanceQuery().variableValueEquals(name, departed)
                    .list()) {
                runtime.setVariableLocal(variable.getExecutionId(), name, successor);
            }
        }
        for (Task task : tasks.createTaskQuery().taskAssignee(departed).list()) {
            tasks.setAssignee(task.getId(), successor);
        }
    }

    /**
     * Nobody took the access over in time: every affected partnership is suspended through its own process (which
     * suspends its people and machines), and an affected identity of another partnership through its process.
     * What its process does not accept now (not yet active, already suspended or ended) is left as it is, and audited.
     */
    @Transactional
    public void suspendOwnerless(String departed) {
        Affected affected = affected(departed);
        String reason = "nobody took over from " + departed + ", who left, within "
                + properties.reassignmentDeadline();
        Map<String, Object> variables = Map.of(SUSPENSION_REASON, reason, TRIGGERED_BY, "system");
        Set<String> suspended = new LinkedHashSet<>();
        for (Partnership partnership : affected.partnerships()) {
            suspended.add(partnership.getKey());
            try {
                triggers.send(partnership.getKey(), ProcessIds.MESSAGE_PARTNERSHIP_SUSPENDED, variables);
                audit.record("system", GovernanceAction.OWNERLESS_ACCESS_SUSPENDED, partnership.getKey(), null, reason);
            } catch (TriggerNotAcceptedException e) {
                audit.record("system", GovernanceAction.OWNERLESS_ACCESS_LEFT, partnership.getKey(), null, e.getMessage());
            }
        }
        for (PartnerIdentity identity : affected.identities()) {
            if (suspended.contains(identity.getPartnershipKey())) {
                continue;
            }
            try {
                triggers.tellIdentity(identity.getId(), IdentityProcesses.Message.suspended(reason, "system"));
                audit.record("system", GovernanceAction.OWNERLESS_ACCESS_SUSPENDED, identity.getPartnershipKey(), identity.getId(),
                        reason);
            } catch (TriggerNotAcceptedException e) {
                audit.record("system", GovernanceAction.OWNERLESS_ACCESS_LEFT, identity.getPartnershipKey(), identity.getId(),
                        e.getMessage());
            }
        }
    }

    /** Tells the security officers what was suspended and what they still have to decide. */
    public void notifyOwnerlessSuspended(String departed, String summary) {
        mail.send(staff.emailsOfGroup(StaffGroups.SECURITY_OFFICERS),
                "Partner access of " + departed + " suspended: nobody took it over",
                """
                %s left (disabled or deleted in the staff realm) and nobody named a successor within %s.
                Their partnerships are suspended, and so are the identities they owned:
                %s
                Name a successor and resume each partnership (POST /api/partnerships/{key}/resumption) when it is
                still needed; until then a reassignment task opens again at each check.
                """.formatted(departed, properties.reassignmentDeadline(), summary));
    }

    private static List<String> roles(Partnership partnership, String user) {
        List<String> roles = new ArrayList<>();
        if (user.equals(partnership.getSponsor())) {
            roles.add("sponsor");
        }
        if (user.equals(partnership.getBusinessOwner())) {
            roles.add("businessOwner");
        }
        if (user.equals(partnership.getTechnicalOwner())) {
            roles.add("technicalOwner");
        }
        return roles;
    }

    /** The partnerships and identities that name a staff user. */
    public record Affected(List<Partnership> partnerships, List<PartnerIdentity> identities) {

        /** One line per partnership and identity, for the task form and the mail. */
        public String summary(String user) {
            List<String> lines = new ArrayList<>();
            partnerships.forEach(p -> lines.add("Partnership " + p.getKey() + " (" + p.getLegalName() + "), "
                    + p.getState() + ": " + String.join(", ", roles(p, user))));
            identities.forEach(i -> lines.add((i.getKind() == org.partneraccess.inventory.IdentityKind.MACHINE
                    ? "Machine " : "Person ") + i.getDisplayName() + " (" + i.getId() + ") of " + i.getPartnershipKey()
                    + ", " + i.getState() + ": owner"));
            return lines.isEmpty() ? "nothing any more" : String.join("\n", lines);
        }
    }
}
