"""The Instagram channel: ``webhook`` checks, stores and enqueues what Meta posts;
``handler`` turns one stored direct message into a report or adds it to the contact's
open one (run by intake.tasks). The outgoing client is gateways/instagram.py."""
