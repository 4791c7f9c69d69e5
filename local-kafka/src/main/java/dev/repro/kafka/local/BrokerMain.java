package dev.repro.kafka.local;

import java.io.IOException;
import java.io.InputStream;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Entry point of the child JVM that hosts the broker. It ignores Ctrl-C (SIGINT) so that the
 * parent can stop its apps before the broker goes away, and it exits as soon as its standard
 * input closes: the parent holds that pipe open for as long as it lives, so a broker is never
 * orphaned, even when the parent is killed with SIGKILL.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: BrokerMain <server.properties>");
            System.exit(2);
        }
        Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
        Thread watchdog = new Thread(() -> exitWhenParentGoes(System.in), "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        kafka.Kafka.main(args);
    }

    private static void exitWhenParentGoes(InputStream parent) {
        try {
            while (parent.read() >= 0) {
                // the parent never writes; anything read is ignored
            }
        } catch (IOException closed) {
            // same as end of stream
        }
        System.err.println("repro: parent process gone, stopping the broker");
        System.exit(0);
    }
}
