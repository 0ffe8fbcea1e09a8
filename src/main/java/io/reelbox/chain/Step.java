package io.reelbox.chain;

import org.apache.camel.Exchange;

import io.reelbox.job.Job;

/** One operation of the {@code nemo:} component: one step of the job route, acting on the job the exchange carries. */
interface Step {

    /** The stage name the job reports while in this step (in logs, timings and {@code error.json}). */
    String stage();

    void run(Job job, Exchange exchange) throws Exception;

    /** A step the route repeats (polling): its start and end are logged at debug, not info. */
    default boolean repeats() {
        return false;
    }
}
