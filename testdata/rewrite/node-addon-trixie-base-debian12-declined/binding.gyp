{ 'targets': [ { 'target_name': 'fast', 'sources': [ 'src/fast.cc' ] } ] }
