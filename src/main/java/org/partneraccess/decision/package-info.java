/** Recorded policy decisions: what the policy decided for a request, with the facts it saw. */
@ApplicationModule(allowedDependencies = {"policy", "security"})
package org.partneraccess.decision;

import org.springframework.modulith.ApplicationModule;
