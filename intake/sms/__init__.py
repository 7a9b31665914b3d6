"""The SMS channel: ``webhook`` checks, stores and enqueues what the gateway posts;
``handler`` acts on one stored message (run by intake.tasks). The outgoing client is
gateways/sms.py. See intake/README.md for how a channel plugs in."""
