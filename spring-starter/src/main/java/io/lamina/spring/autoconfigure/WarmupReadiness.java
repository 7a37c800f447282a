package io.lamina.spring.autoconfigure;

import io.lamina.spring.LaminaWarmups;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

/**
 * Holds readiness at {@code REFUSING_TRAFFIC} while a readiness-holding warm-up runs: when Boot announces
 * {@code ACCEPTING_TRAFFIC} before the warm-ups have ended, this answers {@code REFUSING_TRAFFIC} at once, and
 * announces {@code ACCEPTING_TRAFFIC} itself when they end. They always end (at their deadline at the latest), so
 * readiness is never held longer than the longest deadline.
 */
final class WarmupReadiness implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

  private static final Logger log = LoggerFactory.getLogger(WarmupReadiness.class);

  private final LaminaWarmups warmups;
  private final ApplicationEventPublisher publisher;
  private boolean holding;

  WarmupReadiness(LaminaWarmups warmups, ApplicationEventPublisher publisher) {
    this.warmups = warmups;
    this.publisher = publisher;
  }

  @Override
  public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
    if (event.getState() != ReadinessState.ACCEPTING_TRAFFIC || event.getSource() == this) {
      return;
    }
    synchronized (this) {
      if (holding || warmups.readinessGate().isDone()) {
        return;
      }
      holding = true;
      AvailabilityChangeEvent.publish(publisher, this, ReadinessState.REFUSING_TRAFFIC);
      log.info("Lamina: readiness is REFUSING_TRAFFIC until the warm-up of {} ends (at most {})",
          warmups.gatingCaches(), warmups.longestGatingDeadline());
    }
    warmups.readinessGate().thenRun(this::release);
  }

  private void release() {
    synchronized (this) {
      if (!holding) {
        return;
      }
      holding = false;
      log.info("Lamina: warm-up of {} ended: readiness is ACCEPTING_TRAFFIC", warmups.gatingCaches());
      AvailabilityChangeEvent.publish(publisher, this, ReadinessState.ACCEPTING_TRAFFIC);
    }
  }
}
