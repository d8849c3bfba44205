/** Partner workload trust: a partnership's workload issuer as an identity provider for keyless machines. */
@ApplicationModule(allowedDependencies = {"audit", "decision", "keycloak", "partnership", "policy", "security"})
package org.partneraccess.trust;

import org.springframework.modulith.ApplicationModule;
