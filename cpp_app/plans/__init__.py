"""Community Policing Plans: versions, priorities, problems, responses, drafting and adoption."""
