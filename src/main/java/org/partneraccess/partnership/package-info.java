/** Partnerships: request, approval, suspension, resumption and termination of a partnership. */
@ApplicationModule(allowedDependencies = {"audit", "decision", "inventory", "keycloak", "mail", "policy", "security"})
package org.partneraccess.partnership;

import org.springframework.modulith.ApplicationModule;
