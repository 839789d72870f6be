"""Review keeps no models of its own: signatures are casebook records (casebook.models.Signature), so the write
path at the bottom can check them; review holds the sign and unlock workflow (services, forms, pages)."""
