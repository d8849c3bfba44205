package org.partneraccess.modelchange;

import java.io.ByteArrayInputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.bpmn.deployer.BpmnDeployer;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParser;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.persistence.entity.DeploymentEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ResourceEntity;
import org.camunda.bpm.engine.repository.Deployment;
import org.camunda.bpm.engine.repository.DeploymentBuilder;
import org.partneraccess.ProcessIds;
import org.partneraccess.Variables;
import org.partneraccess.audit.AuditLog;
import org.partneraccess.audit.GovernanceAction;
import org.partneraccess.decision.Decisions;
import org.partneraccess.security.EngineCaller;
import org.partneraccess.security.ModelChangeGate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Models are the policy, so they change with four eyes: a process owner's deployment is checked like any deployment,
 * kept here and reviewed by a security officer other than the deployer; only then does the application deploy exactly
 * the kept bytes. Until then the versions that are live keep serving every request.
 */
@Service
@EnableConfigurationProperties(ModelChangeProperties.class)
public class ModelChanges implements ModelChangeGate {

    private static final int SUMMARY_LIMIT = 20_000;
    /** What the review form shows: Camunda keeps a string variable up to 4,000 characters. */
    private static final int FORM_SUMMARY_LIMIT = 3_900;

    private final ModelChangeRepository changes;
    private final RepositoryService repository;
    private final ProcessEngine engine;
    private final RuntimeService runtime;
    private final IdentityService identity;
    private final AuthorizationService authorizations;
    private final Decisions decisions;
    private final AuditLog audit;
    private final ModelChangeProperties properties;
    private final TransactionTemplate transactions;
    private final PolicyImpact impact;

    ModelChanges(ModelChangeRepository changes, ProcessEngine engine, RepositoryService repository,
                 RuntimeService runtime, IdentityService identity, AuthorizationService authorizations,
                 Decisions decisions, AuditLog audit, ModelChangeProperties properties,
                 PlatformTransactionManager transactionManager, PolicyImpact impact) {
        this.changes = changes;
        this.repository = repository;
        this.engine = engine;
        this.runtime = runtime;
        this.identity = identity;
        this.authorizations = authorizations;
        this.decisions = decisions;
        this.audit = audit;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactionManager);
        this.impact = impact;
    }

    @Override
    public RuntimeException propose(String deploymentName, Map<String, byte[]> resources, String user) {
        Authentication caller = identity.getCurrentAuthentication();
        if (!authorizations.isUserAuthorized(user, caller == null ? null : caller.getGroupIds(), Permissions.CREATE,
                Resources.DEPLOYMENT)) {
            throw new AuthorizationException(user + " may not deploy models");
        }
        if (resources.isEmpty()) {
            throw new BadUserRequestException("A deployment needs at least one model");
        }
        Map<String, String> texts = new LinkedHashMap<>();
        resources.forEach((name, bytes) -> texts.put(name, text(name, bytes)));
        // the staff user's grants do not apply to the application's own steps (reading deployments, starting the review)
        return EngineCaller.withoutAuthentication(identity, () -> {
            checkLikeADeployment(deploymentName, texts);
            Map<String, String> live = liveContents(texts.keySet());
            // the policy's impact first: it survives the cut of the review form's summary
            List<String> summary = new ArrayList<>(impact.of(texts, live));
            boolean changed = false;
            for (Map.Entry<String, String> resource : texts.entrySet()) {
                String before = live.get(resource.getKey());
                changed |= !resource.getValue().equals(before);
                summary.addAll(ModelDiff.of(resource.getKey(), before, resource.getValue()));
            }
            if (!changed) {
                return null;
            }
            // house checks first (the form cuts the rest); a FAILED one is the officer's to weigh, not a refusal
            summary.addAll(0, HouseChecks.of(texts, live, new Bpmnlint(properties.bpmnlint())));
            ModelChange change = transactions.execute(status -> submit(deploymentName, texts, summary, user));
            return new ModelChangeSubmittedException(change);
        });
    }

    private ModelChange submit(String deploymentName, Map<String, String> texts, List<String> summary, String user) {
        List<ModelResource> resources = new ArrayList<>();
        texts.forEach((name, content) -> resources.add(new ModelResource(name, content, sha256(content))));
        String name = deploymentName == null || deploymentName.isBlank() ? String.join(", ", texts.keySet()) : deploymentName;
        ModelChange change = changes.save(new ModelChange(UUID.randomUUID().toString(), name, user,
                ModelDiff.cut(String.join("\n", summary), SUMMARY_LIMIT), resources));
        audit.record(user, GovernanceAction.MODEL_CHANGE_SUBMITTED, null, null, "change=" + change.getId() + "; " + hashes(change));
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put(Variables.REQUESTER, user);
        variables.put(ModelChangeReviewVariables.MODEL_CHANGE_NAME, name);
        variables.put(ModelChangeReviewVariables.MODEL_CHANGE_SUMMARY, ModelDiff.cut(change.getSummary(), FORM_SUMMARY_LIMIT));
        variables.put(ModelChangeReviewVariables.MODEL_CHANGE_REVIEW_DEADLINE, properties.reviewDeadline().toString());
        EngineCaller.asApplication(() -> runtime.startProcessInstanceByKey(ProcessIds.MODEL_CHANGE_REVIEW_PROCESS,
                change.getId(), variables));
        return change;
    }

    /**
     * Runs the checks a deployment gets before anything is stored: the deployment checks that run ahead of the
     * engine's deployers (file kinds, the decisions' policy) and the BPMN parse with its listeners (the deployment
     * policy, the segregation declarations). A refused model answers as a refused deployment, naming its elements.
     */
    private void checkLikeADeployment(String deploymentName, Map<String, String> texts) {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        EngineCaller.asApplication(() -> configuration.getCommandExecutorTxRequired().execute(context -> {
            DeploymentEntity deployment = new DeploymentEntity();
            deployment.setNew(true);
            deployment.setName(deploymentName);
            texts.forEach((name, content) -> {
                ResourceEntity resource = new ResourceEntity();
                resource.setName(name);
                resource.setBytes(content.getBytes(StandardCharsets.UTF_8));
                deployment.addResource(resource);
            });
            if (configuration.getCustomPreDeployers() != null) {
                configuration.getCustomPreDeployers().forEach(check -> check.deploy(deployment));
            }
            BpmnParser parser = configuration.getDeployers().stream().filter(BpmnDeployer.class::isInstance)
                    .map(deployer -> ((BpmnDeployer) deployer).getBpmnParser()).findFirst().orElseThrow();
            texts.forEach((name, content) -> {
                if (HouseChecks.isProcess(name)) {
                    parser.createParse().deployment(deployment).name(name)
                            .sourceInputStream(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8))).execute();
                }
            });
            return null;
        }));
    }

    /** Deploys what the security officer approved; the decision record, not the process, says who approved it. */
    @Transactional
    public String approve(String changeId) {
        ModelChange change = pending(changeId);
        String officer = decisions.securityOfficerApproval(changeId, ProcessIds.TASK_REVIEW_MODEL_CHANGE,
                ModelChangeReviewVariables.MODEL_CHANGE_APPROVED, change.getSubmittedBy());
        Deployment deployment = EngineCaller.asApplication(() -> {
            DeploymentBuilder builder = repository.createDeployment().name(change.getDeploymentName())
                    .source("model change " + change.getId());
            change.getResources().forEach(resource -> builder.addString(resource.name(), resource.content()));
            return builder.deploy();
        });
        change.decide(ModelChangeStatus.APPROVED, officer,
                comment(decisions.latest(changeId, ProcessIds.TASK_REVIEW_MODEL_CHANGE)), deployment.getId());
        audit.record(officer, GovernanceAction.MODEL_CHANGE_APPROVED, null, null, "change=" + changeId + "; deployment="
                + deployment.getId() + "; submittedBy=" + change.getSubmittedBy() + "; " + hashes(change));
        return deployment.getId();
    }

    @Transactional
    public void reject(String changeId) {
        ModelChange change = pending(changeId);
        Optional<Map<String, Object>> decision = decisions.latest(changeId, ProcessIds.TASK_REVIEW_MODEL_CHANGE);
        String by = decision.map(fields -> (String) fields.get(Decisions.DECIDED_BY)).orElse("system");
        String comment = comment(decision);
        change.decide(ModelChangeStatus.REJECTED, by, comment, null);
        audit.record(by, GovernanceAction.MODEL_CHANGE_REJECTED, null, null, "change=" + changeId + "; reason=" + comment);
    }

    @Transactional
    public void expire(String changeId) {
        pending(changeId).decide(ModelChangeStatus.EXPIRED, "system", "not decided within "
                + properties.reviewDeadline(), null);
        audit.record("system", GovernanceAction.MODEL_CHANGE_EXPIRED, null, null, "change=" + changeId);
    }

    @Transactional(readOnly = true)
    public Optional<ModelChange> find(String changeId) {
        return changes.findById(changeId);
    }

    private ModelChange pending(String changeId) {
        ModelChange change = changes.findById(changeId)
                .orElseThrow(() -> new IllegalStateException("No model change " + changeId));
        if (change.getStatus() != ModelChangeStatus.PENDING) {
            throw new IllegalStateException("Model change " + changeId + " is " + change.getStatus() + " already");
        }
        return change;
    }

    private static String comment(Optional<Map<String, Object>> decision) {
        return decision.map(fields -> fields.get(ModelChangeReviewVariables.MODEL_CHANGE_COMMENT)).map(Object::toString)
                .orElse(null);
    }

    /**
     * The content of the newest deployed resource of each file name, whatever folder it was deployed from; read in one
     * pass over the deployments, newest first. A name never deployed is absent.
     */
    private Map<String, String> liveContents(java.util.Set<String> names) {
        Map<String, String> live = new LinkedHashMap<>();
        for (Deployment deployment : repository.createDeploymentQuery().orderByDeploymentTime().desc().list()) {
            for (String resource : repository.getDeploymentResourceNames(deployment.getId())) {
                String file = resource.substring(resource.lastIndexOf('/') + 1);
                for (String name : names) {
                    if (!live.containsKey(name) && file.equals(name.substring(name.lastIndexOf('/') + 1))) {
                        live.put(name, content(deployment.getId(), resource));
                    }
                }
            }
            if (live.size() == names.size()) {
                break;
            }
        }
        return live;
    }

    private String content(String deploymentId, String resource) {
        try (var in = repository.getResourceAsStream(deploymentId, resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }


    private static String text(String name, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadUserRequestException(name + " is not a model: not UTF-8 text");
        }
    }

    private static String hashes(ModelChange change) {
        return "sha256=" + change.getResources().stream().map(resource -> resource.name() + ":" + resource.sha256()).toList();
    }

    static String sha256(String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
