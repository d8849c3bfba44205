/** Operations: health, metrics and request logging context. */
@ApplicationModule(allowedDependencies = {"inventory", "keycloak"})
package org.partneraccess.operations;

import org.springframework.modulith.ApplicationModule;
