package org.partneraccess.security.deployment;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.camunda.bpm.dmn.engine.impl.DefaultDmnEngineConfiguration;
import org.camunda.bpm.engine.ParseException;
import org.camunda.bpm.engine.Problem;
import org.camunda.bpm.engine.impl.persistence.deploy.Deployer;
import org.camunda.bpm.engine.impl.persistence.entity.DeploymentEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ResourceEntity;
import org.camunda.bpm.engine.impl.util.xml.Element;
import org.camunda.bpm.engine.impl.xml.ProblemImpl;

/**
 * Runs before the engine's deployers on a new deployment: only models and forms are accepted, and decisions are
 * checked here too, so that a refused decision is a parse error (REST: 400 naming the elements) rather than the
 * DMN deployer's generic failure. The {@link DmnModelCheck} still guards every later transform.
 */
final class DeploymentResourceCheck implements Deployer {

    static final String RESOURCE_KIND = "resource kind";

    private final Supplier<DefaultDmnEngineConfiguration> dmn;

    DeploymentResourceCheck(Supplier<DefaultDmnEngineConfiguration> dmn) {
        this.dmn = dmn;
    }

    @Override
    public void deploy(DeploymentEntity deployment) {
        // a deployment read back into the cache was checked when it was made; its models are parsed (and checked) again
        if (!deployment.isNew() || deployment.getResources() == null) {
            return;
        }
        for (ResourceEntity resource : deployment.getResources().values()) {
            String name = resource.getName().toLowerCase(Locale.ROOT);
            if (DeploymentAllowList.RESOURCE_SUFFIXES.stream().noneMatch(name::endsWith)) {
                refuse(resource.getName(), List.of(new Violation(RESOURCE_KIND, "only "
                        + String.join(", ", DeploymentAllowList.RESOURCE_SUFFIXES) + " files may be deployed", List.of())));
            }
            if (name.endsWith(".dmn") || name.endsWith(".dmn11.xml")) {
                checkDecisions(resource);
            }
        }
    }

    private void checkDecisions(ResourceEntity resource) {
        try {
            dmn.get().getTransformer().createTransform()
                    .modelInstance(new ByteArrayInputStream(resource.getBytes()))
                    .transformDecisionRequirementsGraph();
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof DmnModelCheck.Refused refused) {
                    refuse(resource.getName(), refused.violations());
                }
            }
            // any other fault is the DMN deployer's to report, as it would without this check
        }
    }

    private static void refuse(String resource, List<Violation> violations) {
        List<Problem> problems = new ArrayList<>();
        for (Violation violation : violations) {
            problems.add(violation.elementId() == null ? new ProblemImpl(violation.message(), (Element) null)
                    : new ProblemImpl(violation.message(), (Element) null, violation.elementIds().toArray(String[]::new)));
        }
        throw new ParseException("Refused by the deployment policy: " + resource + ": "
                + String.join("; ", violations.stream().map(Violation::message).toList()), resource, problems, List.of());
    }
}
