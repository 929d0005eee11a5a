@_exported import DoppelCore
@_exported import DoppelGenomics
@_exported import DoppelIO
@_exported import DoppelMetrics
@_exported import DoppelModels
@_exported import DoppelNeural
@_exported import DoppelReport
@_exported import DoppelTransforms
