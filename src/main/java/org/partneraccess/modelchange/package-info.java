/** Model changes: a proposed BPMN or DMN deployment checked, reviewed and deployed. */
@ApplicationModule(allowedDependencies = {"audit", "decision", "policy", "security"})
package org.partneraccess.modelchange;

import org.springframework.modulith.ApplicationModule;
