package org.partneraccess.security;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.AbstractQuery;
import org.camunda.bpm.engine.impl.AuthorizationQueryImpl;
import org.camunda.bpm.engine.impl.GroupQueryImpl;
import org.camunda.bpm.engine.impl.UserQueryImpl;
import org.camunda.bpm.engine.impl.ProcessInstantiationBuilderImpl;
import org.camunda.bpm.engine.impl.cmd.AddCommentCmd;
import org.camunda.bpm.engine.impl.cmd.AssignTaskCmd;
import org.camunda.bpm.engine.impl.cmd.ClaimTaskCmd;
import org.camunda.bpm.engine.impl.cmd.CompleteTaskCmd;
import org.camunda.bpm.engine.impl.cmd.DeployCmd;
import org.camunda.bpm.engine.impl.repository.DeploymentBuilderImpl;
import org.camunda.bpm.engine.impl.persistence.entity.DeploymentEntity;
import org.camunda.bpm.engine.impl.cmd.SetTaskDueDateCmd;
import org.camunda.bpm.engine.impl.cmd.SetTaskFollowUpDateCmd;
import org.camunda.bpm.engine.impl.cmd.StartProcessInstanceCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitStartFormCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitTaskFormCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * The engine's own door for staff: a command that a staff user sends from outside the application (the engine REST
 * API, Tasklist's and Cockpit's API) runs only if it is on the allow-list below — reads, starting a process with its
 * start form's fields, claiming for oneself, completing a task with its form's fields, comments, deployments (the
 * engine checks the deployment grant). Everything else (modification, start instructions, restarts, variable writes,
 * messages, signals, jobs, identity, authorizations, identity links, suspension, deletion) is for Camunda
 * administrators only. The application's own calls, the job executor and commands nested in an allowed one pass.
 * It refuses with the engine's own exceptions: an {@link AuthorizationException} (403) for what the caller may not
 * do, a {@code FormFieldValidationException} naming the field (400) for what a form does not let them submit; where
 * an engine REST resource wraps either into a 500, {@link EngineRefusals} answers its status. At the webapps' door
 * {@link WebappEngineDoor} refuses the writes outside the allow-list before they reach a resource.
 */
final class EngineCommandGuard extends CommandInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(EngineCommandGuard.class);

    /** Read-only commands the webapps and the REST API use, by their name's shape. */
    private static final List<String> READ_PREFIXES = List.of("Get", "Find", "ExecuteFilter", "Optimize");
    private static final Set<String> READS = Set.of("AuthorizationCheckCmd", "IsIdentityServiceReadOnlyCmd",
            "IsTelemetryEnabledCmd", "DetermineHistoryLevelCmd");
    /** The webapps' own read-only query commands (Cockpit's and Tasklist's plugins). */
    private static final List<String> WEBAPP_READ_PACKAGES = List.of("org.camunda.bpm.cockpit.",
            "org.camunda.bpm.tasklist.", "org.camunda.bpm.webapp.impl.db.");
    private static final Set<Class<?>> ALLOWED_WRITES = Set.of(AddCommentCmd.class, SetTaskDueDateCmd.class,
            SetTaskFollowUpDateCmd.class);

    private final Supplier<IdentityService> identity;
    private final SubmittedFields fields;
    private final Supplier<ModelChangeGate> modelChanges;
    private final Supplier<SecondFactor> secondFactor;

    EngineCommandGuard(Supplier<IdentityService> identity, SubmittedFields fields, Supplier<ModelChangeGate> modelChanges,
                       Supplier<SecondFactor> secondFactor) {
        this.identity = identity;
        this.fields = fields;
        this.modelChanges = modelChanges;
        this.secondFactor = secondFactor;
    }

    @Override
    public <T> T execute(Command<T> command) {
        Authentication caller = outsideCaller(command);
        if (caller != null) {
            boolean administrator = caller.getGroupIds() != null
                    && caller.getGroupIds().contains(StaffGroups.CAMUNDA_ADMIN);
            requireSecondFactor(command, administrator);
            if (!administrator) {
                check(command, caller.getUserId());
            }
        }
        return next.execute(command);
    }

    /** The staff user who sends this command from outside the application, if any. */
    private Authentication outsideCaller(Command<?> command) {
        if (Context.getCommandContext() != null || EngineCaller.isApplicationCall()
                || command instanceof SubmittedFields.Lookup) {
            return null;
        }
        return identity.get().getCurrentAuthentication();
    }

    /**
     * Completing a task (every user task here is an approval, a review or a decision) and deploying need the second
     * factor, as does every change an administrator makes; reading does not.
     */
    private void requireSecondFactor(Command<?> command, boolean administrator) {
        boolean needed = command instanceof CompleteTaskCmd || command instanceof SubmitTaskFormCmd
                || command instanceof DeployCmd || (administrator && !isRead(command) && !isDirectoryListing(command));
        // in-process work without a web request (the application's jobs, its tests) has no sign-in to step up
        if (!needed || secondFactor == null || RequestContextHolder.getRequestAttributes() == null) {
            return;
        }
        secondFactor.get().missingForCurrentCaller().ifPresent(missing -> {
            LOG.info("Refused {} without a second factor", command.getClass().getSimpleName());
            throw new AuthorizationException("This needs " + missing
                    + ". Sign in again with the second factor and repeat it.");
        });
    }

    private <T> void check(Command<T> command, String user) {
        if (isDirectoryListing(command)) {
            throw new AuthorizationException("Only Camunda administrators may list staff users, groups or grants");
        }
        if (isRead(command) || ALLOWED_WRITES.contains(command.getClass())) {
            return;
        }
        if (command instanceof ClaimTaskCmd) {
            requireSelfOrNobody(field(command, "userId"), user, "claim a task");
        } else if (command instanceof AssignTaskCmd) {
            requireSelfOrNobody(field(command, "userId"), user, "assign a task");
        } else if (command instanceof CompleteTaskCmd) {
            fields.checkTask(next, (String) field(command, "taskId"), field(command, "variables"));
        } else if (command instanceof SubmitTaskFormCmd) {
            fields.checkTask(next, (String) field(command, "taskId"), field(command, "properties"));
        } else if (command instanceof StartProcessInstanceCmd) {
            ProcessInstantiationBuilderImpl start = (ProcessInstantiationBuilderImpl) field(command, "instantiationBuilder");
            fields.checkStart(next, start.getProcessDefinitionId(), start.getProcessDefinitionKey(),
                    start.getBusinessKey(), start.getVariables());
        } else if (command instanceof DeployCmd) {
            proposeForReview((DeployCmd) command, user);
        } else if (command instanceof SubmitStartFormCmd) {
            fields.checkStart(next, (String) field(command, "processDefinitionId"), null,
                    (String) field(command, "businessKey"), field(command, "variables"));
        } else {
            LOG.warn("Refused {} to staff user {}: only Camunda administrators may", command.getClass().getName(), user);
            throw new AuthorizationException(
                    "Only Camunda administrators may do this (" + command.getClass().getSimpleName() + ")");
        }
    }

    /** A staff deployment is not deployed: it is kept for a security officer's review (unless it changes nothing). */
    private void proposeForReview(DeployCmd command, String user) {
        DeploymentEntity deployment = ((DeploymentBuilderImpl) field(command, "deploymentBuilder")).getDeployment();
        Map<String, byte[]> resources = new LinkedHashMap<>();
        if (deployment.getResources() != null) {
            deployment.getResources().forEach((name, resource) -> resources.put(name, resource.getBytes()));
        }
        RuntimeException answer = modelChanges.get().propose(deployment.getName(), resources, user);
        if (answer != null) {
            LOG.info("Deployment {} by staff user {} not deployed: {}", deployment.getName(), user, answer.getMessage());
            throw answer;
        }
    }

    /**
     * Who works here and who may do what is not for staff to browse: a user looked up by id (Tasklist shows names)
     * and one's own groups stay readable, a whole list of users, groups or authorizations does not.
     */
    private static boolean isDirectoryListing(Command<?> command) {
        if (command instanceof AuthorizationQueryImpl) {
            return true;
        }
        if (command instanceof UserQueryImpl users) {
            return users.getId() == null && (users.getIds() == null || users.getIds().length == 0);
        }
        if (command instanceof GroupQueryImpl groups) {
            return groups.getId() == null && groups.getUserId() == null
                    && (groups.getIds() == null || groups.getIds().length == 0);
        }
        return false;
    }

    private static boolean isRead(Command<?> command) {
        if (command instanceof AbstractQuery<?, ?>) {
            return true;
        }
        Class<?> type = command.getClass();
        String name = type.getSimpleName();
        return READS.contains(name)
                || (type.getName().startsWith("org.camunda.bpm.engine.") && READ_PREFIXES.stream().anyMatch(name::startsWith))
                || (name.startsWith("Create") && name.endsWith("QueryCmd"))
                || name.endsWith("QueryImpl") || name.endsWith("ReportImpl")
                || WEBAPP_READ_PACKAGES.stream().anyMatch(type.getName()::startsWith);
    }

    private static void requireSelfOrNobody(Object target, String user, String what) {
        if (target != null && !Objects.equals(target, user)) {
            throw new AuthorizationException(user + " may " + what + " only for themselves; reassignment is for "
                    + "Camunda administrators");
        }
    }

    private static Object field(Object target, String name) {
        Field field = ReflectionUtils.findField(target.getClass(), name);
        if (field == null) {
            throw new IllegalStateException(target.getClass().getName() + " has no field " + name
                    + ": the engine changed; the guard refuses rather than guess");
        }
        ReflectionUtils.makeAccessible(field);
        return ReflectionUtils.getField(field, target);
    }
}
