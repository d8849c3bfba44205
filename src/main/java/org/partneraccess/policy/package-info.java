/** The access policy (DMN): risk tier, approvers and deadlines for a request. */
@ApplicationModule(allowedDependencies = {"security"})
package org.partneraccess.policy;

import org.springframework.modulith.ApplicationModule;
