"""Winter on the roads: warming points, stranded people and vehicles, standby equipment."""
