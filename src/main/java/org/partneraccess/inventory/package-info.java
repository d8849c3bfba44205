/** The identity registry: every partner identity, its state and the guarded step that moves it. */
@ApplicationModule(allowedDependencies = {"audit", "keycloak", "security"})
package org.partneraccess.inventory;

import org.springframework.modulith.ApplicationModule;
