import Search
