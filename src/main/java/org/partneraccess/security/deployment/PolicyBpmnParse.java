package org.partneraccess.security.deployment;

import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParse;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParser;

/**
 * The engine's BPMN parse with the deployment policy as its last step. A parse listener cannot report errors (it never
 * sees the parse); here every violation is the engine's own parse error, with line and element id, so a refused
 * deployment fails as a whole and the REST API answers 400 listing each one.
 */
final class PolicyBpmnParse extends BpmnParse {

    private final BpmnModelCheck check;

    PolicyBpmnParse(BpmnParser parser, BpmnModelCheck check) {
        super(parser);
        this.check = check;
    }

    @Override
    protected void parseRootElement() {
        super.parseRootElement();
        check.check(rootElement, (element, violation) -> {
            if (violation.elementId() == null) {
                addError(violation.message(), element);
            } else {
                addError(violation.message(), element, violation.elementIds().toArray(String[]::new));
            }
        });
    }
}
