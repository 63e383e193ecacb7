"""PDF and Word copies, verifiable printouts and stamped scans."""
