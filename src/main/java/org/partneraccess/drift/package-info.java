/** Drift detection: Keycloak compared with the registry, findings reviewed and reconciled. */
@ApplicationModule(allowedDependencies = {"audit", "human", "inventory", "keycloak", "machine", "partnership", "trust"})
package org.partneraccess.drift;

import org.springframework.modulith.ApplicationModule;
