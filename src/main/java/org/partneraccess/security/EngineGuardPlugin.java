package org.partneraccess.security;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** Puts the {@link EngineCommandGuard} in front of every command the engine runs, whichever API sends it. */
@Component
class EngineGuardPlugin extends AbstractProcessEnginePlugin {

    private final Supplier<ModelChangeGate> modelChanges;
    private final Supplier<SecondFactor> secondFactor;

    /** The model change review is looked up when a deployment comes: it needs the engine this plugin configures. */
    @Autowired
    public EngineGuardPlugin(ObjectProvider<ModelChangeGate> modelChanges, ObjectProvider<SecondFactor> secondFactor) {
        this.modelChanges = modelChanges::getObject;
        this.secondFactor = secondFactor::getObject;
    }

    /** For the in-memory test engine: no review there, so staff deploy nothing; no sign-in there to step up. */
    public EngineGuardPlugin() {
        this.modelChanges = () -> ModelChangeGate.REFUSE;
        this.secondFactor = null;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        SubmittedFields fields = new SubmittedFields(FormFields.shipped());
        configuration.setCustomPreCommandInterceptorsTxRequired(
                withGuard(configuration.getCustomPreCommandInterceptorsTxRequired(), configuration, fields));
        configuration.setCustomPreCommandInterceptorsTxRequiresNew(
                withGuard(configuration.getCustomPreCommandInterceptorsTxRequiresNew(), configuration, fields));
    }

    private List<CommandInterceptor> withGuard(List<CommandInterceptor> existing,
                                               ProcessEngineConfigurationImpl configuration, SubmittedFields fields) {
        List<CommandInterceptor> interceptors = new ArrayList<>();
        // the identity service is created later in the engine's init; the guard asks for it when a command runs
        interceptors.add(new EngineCommandGuard(configuration::getIdentityService, fields, modelChanges, secondFactor));
        if (existing != null) {
            interceptors.addAll(existing);
        }
        return interceptors;
    }
}
