package org.partneraccess.security;

import static org.camunda.bpm.engine.authorization.Permissions.ACCESS;
import static org.camunda.bpm.engine.authorization.Permissions.CREATE;
import static org.camunda.bpm.engine.authorization.Permissions.CREATE_INSTANCE;
import static org.camunda.bpm.engine.authorization.Permissions.READ;
import static org.camunda.bpm.engine.authorization.Permissions.READ_HISTORY;
import static org.camunda.bpm.engine.authorization.Permissions.READ_INSTANCE;
import static org.partneraccess.security.StaffGroups.*;

import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.partneraccess.ProcessIds;
import org.springframework.stereotype.Component;

/**
 * Who may open which Camunda application and start which process. Each group gets what its work needs and
 * nothing more; task access itself comes from candidate groups. Idempotent: runs at every start.
 */
@Component
class CamundaAuthorizations extends AbstractProcessEnginePlugin {

    static final String FILTER_MY_TASKS = "My tasks";
    static final String FILTER_MY_GROUP_TASKS = "My group tasks";

    private static final List<String> STARTABLE_PROCESSES = List.of(ProcessIds.PARTNERSHIP_PROCESS,
            ProcessIds.HUMAN_ACCESS_PROCESS, ProcessIds.MACHINE_ACCESS_PROCESS);

    private AuthorizationService authorizations;
    private FilterService filters;
    private TaskService tasks;

    @Override
    public void postProcessEngineBuild(ProcessEngine engine) {
        authorizations = engine.getAuthorizationService();
        filters = engine.getFilterService();
        tasks = engine.getTaskService();
        Map<String, List<String>> applications = Map.of(
                REQUESTERS, List.of("tasklist"),
                SPONSORS, List.of("tasklist"),
                SECURITY_OFFICERS, List.of("tasklist", "cockpit"),
                IDENTITY_OWNERS, List.of("tasklist"),
                PROCESS_OWNERS, List.of("tasklist", "cockpit"),
                AUDITORS, List.of("cockpit"));
        applications.forEach((group, apps) -> apps.forEach(app -> grant(group, Resources.APPLICATION, app, ACCESS)));

        for (String process : STARTABLE_PROCESSES) {
            grant(REQUESTERS, Resources.PROCESS_DEFINITION, process, READ, CREATE_INSTANCE);
        }
        grant(REQUESTERS, Resources.PROCESS_INSTANCE, Authorization.ANY, CREATE);
        for (String group : APPROVERS) {
            grant(group, Resources.PROCESS_DEFINITION, Authorization.ANY, READ);
        }
        for (String group : List.of(SECURITY_OFFICERS, PROCESS_OWNERS, AUDITORS)) {
            grant(group, Resources.PROCESS_DEFINITION, Authorization.ANY, READ, READ_INSTANCE, READ_HISTORY);
            grant(group, Resources.DECISION_DEFINITION, Authorization.ANY, READ, READ_HISTORY);
            grant(group, Resources.DEPLOYMENT, Authorization.ANY, READ);
        }
        grant(PROCESS_OWNERS, Resources.DEPLOYMENT, Authorization.ANY, CREATE);

        // machine track: identity owners register machines they own themselves (checked at the start)
        grant(IDENTITY_OWNERS, Resources.PROCESS_DEFINITION, ProcessIds.MACHINE_ACCESS_PROCESS, READ, CREATE_INSTANCE);
        grant(IDENTITY_OWNERS, Resources.PROCESS_INSTANCE, Authorization.ANY, CREATE);

        // the approval due soonest first: approvals are due by their risk tier (ApprovalDeadlines)
        ensureFilter(FILTER_MY_TASKS, 10,
                () -> tasks.createTaskQuery().taskAssigneeExpression("${currentUser()}").orderByDueDate().asc());
        ensureFilter(FILTER_MY_GROUP_TASKS, 20,
                // approvals name their approver (the sponsor, the owner) or a group (security officers): "candidate
                // user" finds both, the user's groups included
                () -> tasks.createTaskQuery().taskCandidateUserExpression("${currentUser()}").includeAssignedTasks()
                        .orderByDueDate().asc());
    }

    private void grant(String group, Resource resource, String resourceId, Permission... permissions) {
        Authorization authorization = authorizations.createAuthorizationQuery().groupIdIn(group)
                .resourceType(resource).resourceId(resourceId).list().stream().findFirst()
                .orElseGet(() -> {
                    Authorization created = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
                    created.setGroupId(group);
                    created.setResource(resource);
                    created.setResourceId(resourceId);
                    return created;
                });
        for (Permission permission : permissions) {
            authorization.addPermission(permission);
        }
        authorizations.saveAuthorization(authorization);
    }

    private void ensureFilter(String name, int priority,
                              java.util.function.Supplier<org.camunda.bpm.engine.task.TaskQuery> query) {
        Filter existing = filters.createFilterQuery().filterName(name).singleResult();
        if (existing != null) {
            // keeps the query up to date where an earlier version saved another one
            filters.saveFilter(existing.setQuery(query.get()));
            return;
        }
        Filter filter = filters.newTaskFilter(name).setOwner(null).setQuery(query.get())
                .setProperties(Map.of("priority", priority, "refresh", true));
        filters.saveFilter(filter);
        Authorization everyone = authorizations.createNewAuthorization(Authorization.AUTH_TYPE_GLOBAL);
        everyone.setUserId(Authorization.ANY);
        everyone.setResource(Resources.FILTER);
        everyone.setResourceId(filter.getId());
        everyone.addPermission(READ);
        authorizations.saveAuthorization(everyone);
    }
}
